"""An effect node inside a subgraph whose node has a `retry_policy` is committed again when the subgraph is retried.

README (effect nodes): "each run is one proposal ..., verified and committed once"; "a retry after an attempt
that committed ... is answered from the journal, never run twice"; and a subgraph that would run again "from its
start under new task ids (an effect committed again)" is refused (`checkpointer=False`, `ConfigError`).

A parent node holding a compiled subgraph with a `retry_policy` is the same case: when a node after the effect node
fails with an error the policy retries, LangGraph runs the subgraph again from its start, each of its tasks under
a new id, so the effect node (keyed by its task id) is proposed and committed a second time: a payment made twice,
two `committed` entries in the journal, with no question and no error.

What must hold: the payment is committed once (the retried subgraph's effect node answered from the journal), or
`guard_graph` refuses the app at set-up with a `ConfigError` naming the node and its `retry_policy`.

Fixed: guard_graph refuses, at set-up, a node that is a subgraph holding effect nodes when its retry policy
allows more than one attempt (ConfigError naming the node; _effect_nodes_in).
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import RetryPolicy

import graphs
from vfa import ALLOW, ConfigError, guard


class State(TypedDict, total=False):
    amount: int
    receipt: str


@guard
def allow(p: Any, c: Any) -> Any:
    return ALLOW


def _app(tmp_path: Any, paid: list[int], asynchronous: bool) -> Any:
    tried: list[int] = []

    def pay(state: State) -> dict[str, Any]:
        paid.append(state["amount"])
        return {"receipt": "paid"}

    def mail_receipt(state: State) -> dict[str, Any]:  # a flaky step after the payment
        tried.append(1)
        if len(tried) == 1:
            raise ConnectionError("mail server busy")
        return {}

    async def apay(state: State) -> dict[str, Any]:
        return pay(state)

    sb = StateGraph(State)
    sb.add_node("pay", apay if asynchronous else pay)
    sb.add_node("mail_receipt", mail_receipt)
    sb.add_edge(START, "pay")
    sb.add_edge("pay", "mail_receipt")
    sb.add_edge("mail_receipt", END)
    gate = graphs.ToolGate([allow], journal=str(tmp_path / "journal.db"))
    sub = graphs.guard_graph(sb, gate=gate, effect_nodes={"pay": lambda s: {"amount": s["amount"]}})
    b = StateGraph(State)
    b.add_node("checkout", sub, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False,
                                                          retry_on=ConnectionError))
    b.add_edge(START, "checkout")
    b.add_edge("checkout", END)
    saver = SqliteSaver(sqlite3.connect(str(tmp_path / "checkpoints.db"), check_same_thread=False))
    return graphs.guard_graph(b, gate=gate, checkpointer=saver), gate


@pytest.mark.parametrize("asynchronous", [False, True], ids=["invoke", "ainvoke"])
def test_a_retried_subgraph_never_commits_its_effect_node_twice(tmp_path: Any, asynchronous: bool) -> None:
    paid: list[int] = []
    try:
        app, gate = _app(tmp_path, paid, asynchronous)
    except ConfigError as exc:  # refused at set-up: the fix may be that
        assert "checkout" in str(exc) and "retry_policy" in str(exc), str(exc)
        return
    cfg = {"configurable": {"thread_id": "t"}}
    if asynchronous:
        out = asyncio.run(app.ainvoke({"amount": 900}, cfg))
    else:
        out = app.invoke({"amount": 900}, cfg)
    assert out["receipt"] == "paid"
    committed = [e.call_id for e in gate.node.journal.entries("t") if e.kind == "committed"]
    assert paid == [900], f"paid {len(paid)} times; committed under {committed}"
