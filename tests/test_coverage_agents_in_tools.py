"""An agent used as a tool, reached through the tool's code: a helper of the same module, a dict of agents,
or a `BaseTool` subclass's `_run`, is named by the coverage check; one guarded by its own
`GuardMiddleware`, and a node function that reads the tools of the graph's own (gated) ToolNode, are not
(red team 50)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langchain_core.tools import BaseTool, tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

import graphs
from graphs import GuardMiddleware
from vfa import ALLOW, CoverageError, Deny, guard
from vfa.testing import ScriptedModel


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


@tool
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    return "paid"


def _react(model: Any, tools: list[Any]) -> StateGraph:
    b = StateGraph(MessagesState)
    b.add_node("agent", lambda s: {"messages": [model.invoke(s["messages"])]})
    b.add_node("tools", ToolNode(tools))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return b


INNER = _react(ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"]), [pay]).compile()
AGENTS = {"payments": INNER}


def _delegate(task: str) -> str:
    return str(INNER.invoke({"messages": [HumanMessage(task)]}))


@tool
def via_helper(task: str) -> str:
    """Delegate a task to the payments agent."""
    return _delegate(task)


@tool
def via_dict(task: str) -> str:
    """Delegate a task to the payments agent."""
    return str(AGENTS["payments"].invoke({"messages": [HumanMessage(task)]}))


class ViaClass(BaseTool):
    name: str = "via_class"
    description: str = "Delegate a task to the payments agent."

    def _run(self, task: str) -> str:
        return str(INNER.invoke({"messages": [HumanMessage(task)]}))


@pytest.mark.parametrize("t", [via_helper, via_dict, ViaClass()], ids=["helper", "dict", "basetool"])
def test_a_tool_running_an_unguarded_agent_is_named(t: Any) -> None:
    with pytest.raises(CoverageError):
        graphs.guard_graph(_react(ScriptedModel(script=["done"]), [t]), [budget])


def test_a_tool_running_a_middleware_guarded_create_agent_passes() -> None:
    inner = create_agent(ScriptedModel(script=["done"]), [pay], middleware=[GuardMiddleware([budget])])

    @tool
    def ask_payments_agent(task: str) -> str:
        """Delegate a task to the payments agent."""
        return str(inner.invoke({"messages": [HumanMessage(task)]}))

    graphs.guard_graph(_react(ScriptedModel(script=["done"]), [ask_payments_agent]), [budget])


def test_a_node_reading_the_tools_of_the_graphs_own_tool_node_passes() -> None:
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=["done"])

    def agent(s: MessagesState) -> dict[str, Any]:
        names = sorted(tool_node.tools_by_name)  # e.g. to list or bind the node's tools; never runs it
        assert names == ["pay"]
        return {"messages": [model.invoke(s["messages"])]}

    b = StateGraph(MessagesState)
    b.add_node("agent", agent)
    b.add_node("tools", tool_node)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    graphs.guard_graph(b, [budget])
