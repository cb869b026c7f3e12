"""Red team 80: a person's edit of an effect node's call is verified, then ignored: the node acts on
the arguments the person refused.

`graphs.guard_graph(..., effect_nodes={"pay": args_of})` runs a node of the app's own as one
proposal whose arguments are `args_of(state)`. A guard that asks a person about it (a payment over a
limit) offers "approve / edit / reject". A person who answers with an edit (`{"type": "edit", "args":
{"to": "bob", "amount": 50}}`) has the edit validated, labelled and verified by every guard again
(README: "`{"type": "edit", "args": {...}}` (labelled and verified again)"), and the call is
committed... but what the commit runs is `EffectNode`'s `_Work(lambda args: self.inner.invoke(input,
config))`, which drops the verified `args` and runs the node on the graph state as it was: the
payment of 5,000 the person was asked about, and edited down, goes out at 5,000. The journal says the
call was edited to 50 and committed; the world got 5,000. An effect runs with arguments no guard
allowed and a person explicitly changed, and the record lies about it.

Root cause: `graphs/_retrofit.py` `EffectNode._func` / `_afunc` build the commit's work from the
node's input alone, ignoring the arguments the gate hands the work (`_Work.__call__(args)`); nothing
refuses an edit it cannot apply. Fix direction: refuse an edit for an effect node that cannot take
its arguments (answer it as a reject naming why, before anything runs), or let `args_of` come with
a way to put edited arguments back into the node's input, and run the node on that.

Fixed: the node runs on `with_args(input, args)` when given (`effect_nodes={name: (args_of, with_args)}`);
without it, a call committed with other arguments than proposed fails unrun (`ArgumentsNotApplied`).
"""

from __future__ import annotations

import pytest

from typing import Any, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

import graphs
from vfa import ALLOW, Escalate, guard


class State(TypedDict, total=False):
    to: str
    amount: int
    note: str


def test_an_edited_effect_node_call_does_not_run_with_the_refused_arguments():
    paid: list[tuple[str, int]] = []
    gate, g = _payments(paid, pay=lambda s: {"to": s["to"], "amount": s["amount"]})
    cfg = {"configurable": {"thread_id": "t"}}
    first = g.invoke({"to": "bob", "amount": 5000}, cfg)
    assert first["__interrupt__"][0].value["question"] == "pay 5000?"

    with pytest.raises(graphs.ArgumentsNotApplied):  # no `with_args`: the call fails unrun, and so does the run
        g.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 50}}), cfg)

    kinds = [e.kind for e in gate.journal.entries("t") if e.kind in ("edited", "committed")]
    assert paid != [("bob", 5000)], (
        f"the person edited the payment to 50 and the guards verified 50, but the node paid 5000 (journal: {kinds})")
    assert paid in ([], [("bob", 50)])


def _payments(paid, **nodes):
    def pay(state: State) -> dict[str, Any]:
        paid.append((state["to"], state["amount"]))
        return {"note": f"paid {state['amount']} to {state['to']}"}

    @guard
    def big_payments_asked(p, c):
        return Escalate(question=f"pay {p.args['amount']}?") if p.args.get("amount", 0) > 100 else ALLOW

    b = StateGraph(State)
    b.add_node("pay", pay)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    gate = graphs.ToolGate([big_payments_asked])
    return gate, graphs.guard_graph(b, gate=gate, effect_nodes=nodes, checkpointer=InMemorySaver())


def test_an_edit_the_node_cannot_take_fails_the_call_unrun_and_says_why():
    paid: list = []
    gate, g = _payments(paid, pay=lambda s: {"to": s["to"], "amount": s["amount"]})
    cfg = {"configurable": {"thread_id": "t"}}
    g.invoke({"to": "bob", "amount": 5000}, cfg)
    with pytest.raises(graphs.ArgumentsNotApplied, match="with_args"):  # the run fails, as the node's own error would
        g.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 50}}), cfg)
    assert paid == []
    (failed,) = [e for e in gate.journal.entries("t") if e.kind == "failed"]
    assert "ArgumentsNotApplied" in failed.data["error"] and "with_args" in failed.data["error"]


def test_with_args_runs_the_node_on_the_edited_arguments():
    paid: list = []
    gate, g = _payments(paid, pay=(lambda s: {"to": s["to"], "amount": s["amount"]},
                                   lambda s, args: {**s, **args}))
    cfg = {"configurable": {"thread_id": "t"}}
    g.invoke({"to": "bob", "amount": 5000}, cfg)
    out = g.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 50}}), cfg)
    assert paid == [("bob", 50)] and out["note"] == "paid 50 to bob"
    # unchanged arguments run the node on its own input, as before
    small = g.invoke({"to": "carol", "amount": 20}, {"configurable": {"thread_id": "t2"}})
    assert paid[-1] == ("carol", 20) and small["note"] == "paid 20 to carol"
