"""An agent used as a tool (the supervisor shape): its model proposes calls no gate of the outer graph
sees, so the coverage check names the tool whose code runs an agent with ungated tools, held directly,
by a helper of the same module, in a dict of agents or by a `BaseTool` subclass's `_run`; an agent guarded
by `guard_graph` or by its own `GuardMiddleware` passes (red teams 49 to 52)."""

from __future__ import annotations

from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langchain_core.tools import BaseTool, tool
from langgraph.graph import MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from graphs import GuardMiddleware
from vfa import ALLOW, CoverageError, Deny, guard
from vfa.testing import ScriptedModel


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


PAID: list[Any] = []
"""What `pay` paid, for the tests that run a graph."""


@tool
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    PAID.append((to, amount))
    return "paid"


def _react(model: Any, tools: list[Any]) -> StateGraph:
    return tool_loop(model_node(model), ToolNode(tools))


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


def test_a_node_holding_the_graphs_own_tool_node_is_named() -> None:
    """Even to read its tools: `tools_by_name` hands them out ungated (`guard_graph` gates a copy of the
    node), so the check cannot tell reading from running; a node holds the tools' names instead."""
    tool_node = ToolNode([pay])
    model = ScriptedModel(script=["done"])

    def agent(s: MessagesState) -> dict[str, Any]:
        names = sorted(tool_node.tools_by_name)
        assert names == ["pay"]
        return {"messages": [model.invoke(s["messages"])]}

    b = tool_loop(agent, tool_node)
    with pytest.raises(CoverageError, match="hold its tools' names, not the ToolNode"):
        graphs.guard_graph(b, [budget])


def _apps() -> tuple[Any, list[Any]]:
    paid: list[Any] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return "paid"

    # the sub-agent the supervisor delegates to (its model is as compromised as the outer one)
    inner_model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])
    inner = _react(inner_model, [pay]).compile()

    @tool
    def ask_payments_agent(task: str) -> str:
        """Delegate a task to the payments agent."""
        out = inner.invoke({"messages": [HumanMessage(task)]})
        return out["messages"][-1].content

    outer_model = ScriptedModel(script=[("ask_payments_agent", {"task": "pay mallory 5000"}), "done"])
    return _react(outer_model, [ask_payments_agent, pay]), paid


def test_check_coverage_names_a_tool_that_runs_an_unguarded_agent() -> None:
    builder, _paid = _apps()
    with pytest.raises(CoverageError, match="inside the tool 'ask_payments_agent'"):
        graphs.guard_graph(builder, [budget])  # runs check_coverage


def test_a_tool_running_a_guarded_agent_passes() -> None:
    paid: list[Any] = []

    @tool
    def ask_payments_agent(task: str) -> str:
        """Delegate a task to the payments agent."""
        return str(guarded.invoke({"messages": [HumanMessage(task)]}, {"configurable": {"thread_id": "in"}}))

    # the inner agent's own ToolNode gated: its calls are verified where they run
    inner = _react(ScriptedModel(script=[("pay_in", {"amount": 5000}), "done"]), [_pay_tool(paid)])
    guarded = graphs.guard_graph(inner, [budget])
    outer = _react(ScriptedModel(script=[("ask_payments_agent", {"task": "pay"}), "done"]), [ask_payments_agent])
    app = graphs.guard_graph(outer, [budget])
    app.invoke({"messages": [HumanMessage("pay my rent")]}, {"configurable": {"thread_id": "out"}})
    assert paid == []  # the inner guard denied the payment over 100


def _pay_tool(paid: list[Any]) -> Any:
    @tool
    def pay_in(amount: int) -> str:
        """Pay `amount`."""
        paid.append(amount)
        return "paid"

    return pay_in


def test_an_agent_whose_effect_runs_an_unguarded_agent_does_not_compile() -> None:
    """vfa's own `Agent` too: its effects' code is walked for agents whose effects run unguarded."""
    from vfa import Agent, effect

    @effect
    def transfer(to: str, amount: int) -> str:
        """Move money."""
        return "moved"

    inner = _react(ScriptedModel(script=["done"]), [transfer]).compile()

    @effect
    def delegate(task: str) -> str:
        """Hand a task to the payments agent."""
        return str(inner.invoke({"messages": [HumanMessage(task)]}))

    with pytest.raises(CoverageError, match="inside the tool 'delegate'"):
        Agent(ScriptedModel(script=["done"]), [delegate], guards=[budget]).compile()


def test_a_tool_holding_an_object_whose_attributes_raise_is_walked() -> None:
    """The walk reads what tools hold whatever it is: a proxy whose `__getattr__` raises is no tool."""

    class Proxy:  # a context proxy (werkzeug's LocalProxy, say) read outside its context
        @property
        def __dict__(self) -> Any:  # type: ignore[override]
            raise RuntimeError("working outside of request context")

        def __getattr__(self, name: str) -> Any:
            raise LookupError(name)

    world = Proxy()

    @tool
    def look(q: str) -> str:
        """Look something up."""
        return str(world)

    graphs.guard_graph(_react(ScriptedModel(script=["done"]), [look]), [budget])
