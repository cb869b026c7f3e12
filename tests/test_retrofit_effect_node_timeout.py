"""A node's `timeout=` cuts a begun gated effect as it cuts any coroutine, and the journal says so.

LangGraph takes `timeout=` on async nodes; an async effect node whose effect outlives it is cancelled mid-effect
and the run raises LangGraph's `NodeTimeoutError`. The README had said that the begun effect finishes
and commits: it does not, and no code made it so.

What must hold (README, effect nodes: a node's `timeout=` cuts its effect; exactly once: a start whose run ended
without an outcome is recovered, never recorded as the effect's failure): the run raises the timeout, the start is
journaled `abandoned` (it may or may not have happened), and the effect did not finish.
"""

from __future__ import annotations

import asyncio
import time
from typing import TypedDict

import pytest

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

from graphs import guard_graph
from vfa import ALLOW, EffectJournal, guard


class State(TypedDict, total=False):
    amount: int
    receipt: str


def test_a_nodes_timeout_cuts_a_begun_effect_and_journals_it_abandoned(tmp_path) -> None:
    paid: list[int] = []

    async def pay(state: State) -> dict:
        await asyncio.sleep(0.6)  # longer than the node's timeout, once begun
        paid.append(state["amount"])
        return {"receipt": "paid"}

    @guard
    def allow(p, c):
        return ALLOW

    builder = StateGraph(State)
    builder.add_node("pay", pay, timeout=0.2)
    builder.add_edge(START, "pay")
    builder.add_edge("pay", END)
    journal = EffectJournal(str(tmp_path / "journal.db"))
    app = guard_graph(builder, [allow], effect_nodes={"pay": lambda s: {"amount": s["amount"]}}, journal=journal,
                      checkpointer=InMemorySaver())
    with pytest.raises(Exception) as info:
        asyncio.run(app.ainvoke({"amount": 5}, {"configurable": {"thread_id": "t"}}))
    assert type(info.value).__name__ == "NodeTimeoutError", repr(info.value)
    assert paid == []
    # the thread waiting for the effect writes the mark once it sees the cut, maybe after the run has raised
    deadline = time.monotonic() + 10
    while (kinds := [e.kind for e in journal.entries("t")])[-1:] != ["abandoned"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kinds[-2:] == ["started", "abandoned"], kinds
