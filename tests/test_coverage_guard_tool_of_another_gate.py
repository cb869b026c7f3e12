"""A node of the app calling a tool through another gate's `guard_tool` is judged by the app's
guards, or the app is refused.

What must hold (README, "Guard an app you already have": "Guard an agent with one gate"; an effect node or a
subgraph another gate guarded is refused, "its calls would pass that gate alone"; "Call it through the graph's
own gate (`guard_tool(tool, gate=...)`)"): every effect of a guarded app passes the guards the app was guarded
with, and its calls on one thread are ordered by that gate's lock (a budget that allows one payment passes one).

Found: `guard_graph(builder, [budget])` took a node holding `guard_tool(pay, gate=ToolGate([]))` (or
`guard_tool(pay, [])`, a gate of its own) as mediated: it paid 5000 past `budget`, with no error.

Fixed: check_coverage takes the graph's gate; a GatedTool of another gate counts as the bare tool
(CoverageError naming the node).
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

import graphs
from vfa import ALLOW, ConfigError, CoverageError, Deny, effect, guard


class S(TypedDict, total=False):
    amount: int
    done: bool


@guard
def budget(p: Any, c: Any) -> Any:
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


PAID: list[int] = []


@effect
def pay(amount: int) -> str:
    """Pay."""
    PAID.append(amount)
    return "paid"


def _app(gated: Any) -> StateGraph:
    def side(state: S) -> dict[str, Any]:
        gated.invoke({"amount": state["amount"]})
        return {"done": True}

    b = StateGraph(S)
    b.add_node("side", side)
    b.add_edge(START, "side")
    b.add_edge("side", END)
    return b


@pytest.mark.parametrize("how", ["another-gate", "own-gate"])
def test_a_node_calling_a_tool_of_another_gate_is_refused_or_judged_by_the_apps_guards(how: str) -> None:
    PAID.clear()
    gated = graphs.guard_tool(pay, gate=graphs.ToolGate([])) if how == "another-gate" else graphs.guard_tool(pay, [])
    try:
        app = graphs.guard_graph(_app(gated), [budget], checkpointer=InMemorySaver())
    except (ConfigError, CoverageError) as exc:
        assert "side" in str(exc)
        return
    app.invoke({"amount": 5000}, {"configurable": {"thread_id": how}})
    assert PAID == [], "the payment passed another gate alone, past the app's budget"


def test_a_node_calling_a_tool_of_the_apps_own_gate_is_judged_by_its_guards() -> None:
    PAID.clear()
    gate = graphs.ToolGate([budget])
    app = graphs.guard_graph(_app(graphs.guard_tool(pay, gate=gate)), gate=gate, checkpointer=InMemorySaver())
    app.invoke({"amount": 50}, {"configurable": {"thread_id": "a"}})
    app.invoke({"amount": 5000}, {"configurable": {"thread_id": "b"}})
    assert PAID == [50]
