"""Red team 82: an effect node whose own code raises is turned into a silent no-op, and the graph
goes on as if it had acted.

`graphs.guard_graph(..., effect_nodes=["pay"])` commits each run of the app's node `pay` through the
gate. When the node itself fails (the payment API is down), the journal records the call `failed`,
`EffectNode._result` treats that outcome like a denial and returns None (no update, no error), and the
graph runs on to its next node: the app that raised `ConnectionError` unguarded now reports "payment
done" with nothing paid, and a node-level `retry_policy` never sees the error. The failure is only in
the journal. Guarding a node must not turn its errors into success.

Fixed: `EffectNode` raises the node's own error on a failed commit (`graphs.EffectNodeFailed`, with
the journaled error, when the failure is answered again from the journal).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

import graphs
from vfa import ALLOW, guard


@guard
def allow_all(p, c):
    return ALLOW


def _graph(pay: Any, reached: list[str]) -> Any:
    def confirm(state: MessagesState) -> dict[str, Any]:
        reached.append("confirm")
        return {"messages": [("ai", "payment done, thank you")]}

    b = StateGraph(MessagesState)
    b.add_node("pay", pay)
    b.add_node("confirm", confirm)
    b.add_edge(START, "pay")
    b.add_edge("pay", "confirm")
    b.add_edge("confirm", END)
    return b


def _failing(tried: list[int]) -> Any:
    """A payment node whose API is down."""
    def pay(state: MessagesState) -> dict[str, Any]:
        tried.append(1)
        raise ConnectionError("payment API unreachable")
    return pay


def _guarded(pay: Any, reached: list[str]) -> Any:
    return graphs.guard_graph(_graph(pay, reached), [allow_all], effect_nodes=["pay"], checkpointer=InMemorySaver())


def test_the_unguarded_graph_raises_the_nodes_error():  # the behaviour the guard must keep (holds)
    def pay(state: MessagesState) -> dict[str, Any]:
        raise ConnectionError("payment API unreachable")

    reached: list[str] = []
    with pytest.raises(ConnectionError):
        _graph(pay, reached).compile().invoke({"messages": [("user", "pay rent")]})
    assert reached == []


def test_an_effect_node_that_raises_fails_the_run_instead_of_passing_for_done():
    tried: list[int] = []

    reached: list[str] = []
    g = _guarded(_failing(tried), reached)
    cfg = {"configurable": {"thread_id": "t"}}
    try:
        out = g.invoke({"messages": [("user", "pay rent")]}, cfg)
    except Exception as exc:  # noqa: BLE001 - the node's error, or one naming it, is the right outcome
        out = None
        assert "payment API unreachable" in str(exc) or isinstance(exc, ConnectionError)
    assert tried == [1]
    assert reached == [], (
        "the effect node raised, yet the guarded graph went on to the next node as if it had paid: "
        f"{[m.content for m in out['messages']] if out else None}")


def test_an_async_effect_node_that_raises_fails_the_run_too():
    async def pay(state: MessagesState) -> dict[str, Any]:
        raise ConnectionError("payment API unreachable")

    reached: list[str] = []
    g = _guarded(pay, reached)
    cfg = {"configurable": {"thread_id": "t"}}
    try:
        asyncio.run(g.ainvoke({"messages": [("user", "pay rent")]}, cfg))
    except Exception:  # noqa: BLE001
        pass
    assert reached == [], "the async effect node raised, yet the guarded graph went on as if it had paid"


def test_a_failed_effect_node_answered_again_from_the_journal_fails_the_run_again_unrun():
    tried: list[int] = []

    reached: list[str] = []
    g = _guarded(_failing(tried), reached)
    cfg = {"configurable": {"thread_id": "t"}}
    with pytest.raises(ConnectionError):
        g.invoke({"messages": [("user", "pay rent")]}, cfg)
    # resumed, the same task is answered from the journal: it failed, and it is not run again
    with pytest.raises(graphs.EffectNodeFailed, match="payment API unreachable"):
        g.invoke(None, cfg)
    assert tried == [1] and reached == []
