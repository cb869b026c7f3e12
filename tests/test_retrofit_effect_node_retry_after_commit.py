"""A retry of a guarded effect node whose attempt committed commits the effect again.

docs/existing-apps.md: an effect node's run is "verified and committed once"; a retry its `retry_policy` asks for "is a
call of its own (`<task>#attempt2`, ...)", and "A node that ran, answered again from the journal ...
writes the update it wrote then". `EffectNode._attempt_id` numbers a retry by LangGraph's `node_attempt`
alone and never looks at the attempts before it: an attempt that committed and whose task then failed
after the node returned is followed by a new call that runs the effect again. LangGraph retries the task
as a whole (the node and its channel writers), so an update LangGraph refuses after the node committed
(a node returning a value that is no state update: `InvalidUpdateError`, retried by the default
`retry_on`) makes every retry pay again: three payments under one task, one per attempt, where before
this change the retry was answered from the journal.

Expected: a retry after an attempt that committed is answered from the journal (the effect happened;
its update is written again), so the effect is committed once whatever the retry policy does.

Fixed: an attempt that committed answers every run of its task after it (`EffectNode._attempt_id`).

Fixed: once an attempt committed, every later run of the task is answered from the journal.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import RetryPolicy

import graphs
from vfa import ALLOW, guard


@guard
def _allow(p, c):
    return ALLOW


def test_a_retry_after_a_committed_attempt_never_commits_again() -> None:
    paid: list[int] = []

    def pay(state: MessagesState) -> Any:
        paid.append(900)
        return "paid"  # no state update: LangGraph's writer refuses it after the node returned

    b = StateGraph(MessagesState)
    b.add_node("pay", pay, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False))
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    app = graphs.guard_graph(b, [_allow], effect_nodes={"pay": lambda s: {"to": "landlord", "amount": 900}},
                             checkpointer=InMemorySaver())
    with pytest.raises(InvalidUpdateError):
        app.invoke({"messages": [("user", "pay rent")]}, {"configurable": {"thread_id": "t"}})
    journal = app.nodes["pay"].bound.gate.node.journal
    committed = [e.call_id for e in journal.entries("t") if e.kind == "committed"]
    assert paid == [900], f"one payment, made {len(paid)} times: {committed}"
    assert len(committed) == 1
