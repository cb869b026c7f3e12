"""A guarded effect node's retry bound holds when the policy is the builder's default.

README: "a retry its `retry_policy` asks for is a call of its own (`<task>#attempt2`, ...), verified again
(a person asked again, where a guard or the node asks) and committed once, the task tried at most the
policy's `max_attempts` times across the runs that resume it". LangGraph 1.2 also takes a graph-wide
default, `StateGraph.set_node_defaults(retry_policy=...)`, applied to each node at `compile()`. Given the
builder, `guard_graph` read the node's own `retry_policy` alone (None before compiling), so the effect node
was told no bound: each resume after an approval asked about, and tried, one more attempt.

Must hold: with the policy set as the builder's default, the payment is tried at most `max_attempts`
times, as it is with the same policy on the node (`tests/test_retrofit_effect_node_retry_bound.py`).

Fixed: _guard reads the retry policy from the builder's set_node_defaults as a last fallback.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, RetryPolicy

import graphs
from vfa import Escalate, guard

CFG = {"configurable": {"thread_id": "t"}}
POLICY = RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False, retry_on=ConnectionError)


class _State(TypedDict, total=False):
    to: str


@guard
def confirm(p, c):
    return Escalate(guard="confirm", question=f"pay {p.args['to']}?")


def _builder(pay: Any, *, default: bool) -> StateGraph:
    b = StateGraph(_State)
    if default:
        b.set_node_defaults(retry_policy=POLICY)
        b.add_node("pay", pay)
    else:
        b.add_node("pay", pay, retry_policy=POLICY)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return b


def _tries(default: bool, compiled: bool) -> int:
    tried: list[int] = []

    def pay(state: _State) -> dict[str, Any]:
        tried.append(1)
        raise ConnectionError("the bank is down")

    b = _builder(pay, default=default)
    graph = b.compile(checkpointer=InMemorySaver()) if compiled else b
    options = {} if compiled else {"checkpointer": InMemorySaver()}
    app = graphs.guard_graph(graph, [confirm], effect_nodes={"pay": lambda s: {"to": s["to"]}}, **options)
    out = app.invoke({"to": "landlord"}, CFG)
    for _ in range(8):  # a person approving every question
        if "__interrupt__" not in out:
            break
        try:
            out = app.invoke(Command(resume="approve"), CFG)
        except Exception:  # noqa: BLE001 - the run's end: the node's error, or its record of it
            break
    return len(tried)


@pytest.mark.parametrize("compiled", [False, True], ids=["builder", "compiled"])
def test_a_default_retry_policy_bounds_the_attempts_across_resumes(compiled: bool) -> None:
    assert _tries(default=False, compiled=compiled) <= 3  # the node's own policy: bounded
    tries = _tries(default=True, compiled=compiled)
    assert tries <= 3, f"max_attempts=3 as the graph's default, yet the payment was tried {tries} times"
