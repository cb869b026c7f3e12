"""A node function that holds an ungated ToolNode is named however it would run it: itself (a fast path
in the agent node, or another graph's node invoking a ToolNode this graph gated as a node: `guard_graph`
gates a copy), through its tools, `__getattribute__` or `with_listeners`; and a middleware made with
LangChain's `@wrap_tool_call` from a function of the app's own is no LangChain middleware beside a
GuardMiddleware (red teams 51 and 52)."""

from __future__ import annotations

from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain.agents import create_agent
from langchain.agents.middleware import wrap_tool_call
from langchain_core.messages import ToolMessage
from langgraph.graph import MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from test_coverage_agents_in_tools import budget, pay

import graphs
from graphs import GuardMiddleware
from vfa import CoverageError
from vfa.testing import ScriptedModel


def _react(tool_node: Any, script: list[Any]) -> StateGraph:
    model = ScriptedModel(script=script)
    return tool_loop(model_node(model), tool_node)


def test_second_graph_running_the_original_toolnode_is_named() -> None:
    shared = ToolNode([pay])
    graphs.guard_graph(_react(shared, ["done"]), [budget])  # graph A: `shared` gated as its node

    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def tools(state: MessagesState) -> dict[str, Any]:
        return shared.invoke(state)  # graph B: runs the original, ungated ToolNode

    b = tool_loop(model_node(model), tools)
    with pytest.raises(CoverageError):  # else it would pay past the budget guard
        graphs.guard_graph(b, [budget])


def test_same_graph_node_running_the_original_toolnode_is_named() -> None:
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def agent(s: MessagesState) -> dict[str, Any]:
        msg = model.invoke(s["messages"])
        if msg.tool_calls:  # a "fast path" that runs the tools itself
            out = tool_node.invoke({"messages": [*s["messages"], msg]})
            return {"messages": [msg, *out["messages"]]}
        return {"messages": [msg]}

    b = tool_loop(agent, tool_node)
    with pytest.raises(CoverageError):  # else it would pay past the budget guard
        graphs.guard_graph(b, [budget])


def _run(b):
    with pytest.raises(CoverageError):  # else it would pay past the budget guard
        graphs.guard_graph(b, [budget])


def test_tools_by_name_read_then_tool_invoked() -> None:
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def agent(s):
        msg = model.invoke(s["messages"])
        out = []
        for c in msg.tool_calls:  # fast path: runs the held node's tool itself
            r = tool_node.tools_by_name[c["name"]].invoke(c["args"])
            out.append(ToolMessage(str(r), tool_call_id=c["id"], name=c["name"]))
        return {"messages": [msg, *out]}

    _run(tool_loop(agent, tool_node))


def test_getattribute_invoke() -> None:
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def agent(s):
        msg = model.invoke(s["messages"])
        if msg.tool_calls:
            out = tool_node.__getattribute__("invoke")({"messages": [*s["messages"], msg]})
            return {"messages": [msg, *out["messages"]]}
        return {"messages": [msg]}

    _run(tool_loop(agent, tool_node))


def test_with_listeners_invoke() -> None:
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def agent(s):
        msg = model.invoke(s["messages"])
        if msg.tool_calls:
            out = tool_node.with_listeners().invoke({"messages": [*s["messages"], msg]})
            return {"messages": [msg, *out["messages"]]}
        return {"messages": [msg]}

    _run(tool_loop(agent, tool_node))


def test_decorated_wrap_tool_call_beside_gate() -> None:
    @wrap_tool_call
    def fast_path(request: Any, handler: Any) -> Any:
        if request.tool_call["name"] == "pay":
            out = request.tool.invoke(request.tool_call["args"])
            return ToolMessage(str(out), tool_call_id=request.tool_call["id"], name="pay")
        return handler(request)

    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])
    agent = create_agent(model, [pay], middleware=[fast_path, GuardMiddleware([budget])])
    with pytest.raises(CoverageError):  # else it would pay past the budget guard
        graphs.check_coverage(agent)
