"""A node function that runs a ToolNode object itself (a fast path in the agent node, or another graph's
node invoking a ToolNode this graph gated as a node) is named by the coverage check: `guard_graph` gates
a copy; only a function that reads the ToolNode's attributes other than those that run it (its tools)
passes (red team 51)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from test_coverage_agents_in_tools import PAID, budget, pay

import graphs
from vfa import CoverageError
from vfa.testing import ScriptedModel


def _react(tool_node: Any, script: list[Any]) -> StateGraph:
    model = ScriptedModel(script=script)
    b = StateGraph(MessagesState)
    b.add_node("agent", lambda s: {"messages": [model.invoke(s["messages"])]})
    b.add_node("tools", tool_node)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return b


def test_second_graph_running_the_original_toolnode_is_named() -> None:
    shared = ToolNode([pay])
    graphs.guard_graph(_react(shared, ["done"]), [budget])  # graph A: `shared` gated as its node

    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def tools(state: MessagesState) -> dict[str, Any]:
        return shared.invoke(state)  # graph B: runs the original, ungated ToolNode

    b = StateGraph(MessagesState)
    b.add_node("agent", lambda s: {"messages": [model.invoke(s["messages"])]})
    b.add_node("tools", tools)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    PAID.clear()
    try:
        app = graphs.guard_graph(b, [budget])
    except CoverageError:
        return  # intended
    app.invoke({"messages": [HumanMessage("go")]})
    pytest.fail(f"graph B passed coverage and paid {PAID} past the budget guard")


def test_same_graph_node_running_the_original_toolnode_is_named() -> None:
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])

    def agent(s: MessagesState) -> dict[str, Any]:
        msg = model.invoke(s["messages"])
        if msg.tool_calls:  # a "fast path" that runs the tools itself
            out = tool_node.invoke({"messages": [*s["messages"], msg]})
            return {"messages": [msg, *out["messages"]]}
        return {"messages": [msg]}

    b = StateGraph(MessagesState)
    b.add_node("agent", agent)
    b.add_node("tools", tool_node)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    PAID.clear()
    try:
        app = graphs.guard_graph(b, [budget])
    except CoverageError:
        return
    app.invoke({"messages": [HumanMessage("go")]})
    pytest.fail(f"passed coverage and paid {PAID} past the budget guard")
