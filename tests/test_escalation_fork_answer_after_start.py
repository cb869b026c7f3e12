"""An answer given on one branch of a thread, to a question about a call whose effect a fork of the
thread began and a crash cut off, leaves that call's record as it is: the effect may have happened, so
the call is recovered (a person is asked whether to run it again), never ended "rejected by a person"
by an answer to a question asked before it began (README: "a call whose effect has begun keeps its
record ... the new answer is journaled apart") (red team 218).

The fork asked the question again in a task of its own and was approved; the effect began and was cut
off (a `KeyboardInterrupt`, a crash the journal records). Resuming the main branch's question with a
reject journaled the reject into the begun call's own record, as its outcome: every later run of the
call reports it rejected, and no one is asked whether the payment happened.

Fixed: an answer first given once the call's effect had begun in another task is journaled apart too, and such
answers decide nothing of the call's outcome (Questions._apart): its recovery asks whether it ran.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from vfa import ALLOW, Agent, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _forked_and_cut_off(tmp_path: Path):
    """A thread paused at a question about paying eve 500, forked (`update_state`); the fork approves, and its
    payment is cut off by a crash after the money moved. Returns the app, its journal, what was paid and the
    main branch's config."""
    paid: list[tuple[str, int]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        if len(paid) == 1:
            raise KeyboardInterrupt  # cut off inside the effect, after the payment
        return f"paid {amount} to {to}"

    @guard
    def large(p: Any, c: Any) -> Any:
        return Escalate(question=f"pay {p.args['amount']}?") if p.args.get("amount", 0) > 100 else ALLOW

    saver = SqliteSaver(sqlite3.connect(str(tmp_path / "checkpoints.db"), check_same_thread=False))
    journal = EffectJournal(tmp_path / "journal.db")
    model = ScriptedModel([("pay", {"to": "eve", "amount": 500}), "ok"])
    app = Agent(model, [pay], guards=[large], journal=journal).compile(checkpointer=saver)

    assert app.invoke({"messages": [HumanMessage("pay eve 500")]}, CFG).get("__interrupt__")
    main = app.get_state(CFG).config
    fork = app.update_state(main, {"messages": []}, as_node="agent")
    assert app.invoke(None, fork).get("__interrupt__")
    try:
        app.invoke(Command(resume={"type": "approve"}), fork)
    except KeyboardInterrupt:
        pass
    return app, journal, paid, main


def test_a_reject_on_the_main_branch_does_not_end_a_call_a_fork_began(tmp_path: Path) -> None:
    app, journal, paid, main = _forked_and_cut_off(tmp_path)
    assert paid == [("eve", 500)]

    out = app.invoke(Command(resume={"type": "reject"}), main)
    assert [e.kind for e in journal.entries("t", call_id="call_0_0")][-1] != "rejected"
    asked = out.get("__interrupt__") or ()
    assert [i.value.get("guard") for i in asked] == ["journal"], [m.content for m in out["messages"]]
    assert paid == [("eve", 500)]


def test_answers_after_one_journaled_apart_are_each_journaled_once(tmp_path: Path) -> None:
    """With the main branch's first answer journaled apart, its later answers (the recovery's approval, its
    guard's question asked again) are each journaled once, at their own places: `Questions` had built its
    answers from the places that have one, so every later answer sat a place early and the recovery's
    approval was journaled a second time. Fixed: answers are kept by place (`_journaled`)."""
    app, journal, paid, main = _forked_and_cut_off(tmp_path)
    out = app.invoke(Command(resume={"type": "reject"}), main)  # journaled apart: the fork began the call
    assert [i.value.get("guard") for i in out["__interrupt__"]] == ["journal"]
    out = app.invoke(Command(resume={"type": "approve"}), main)  # run it again
    assert [i.value.get("guard") for i in out["__interrupt__"]] == ["large"]
    out = app.invoke(Command(resume={"type": "approve"}), main)  # and its guard's question, asked again
    assert not out.get("__interrupt__")
    assert out["messages"][2].artifact["vfa"]["outcome"] == "committed"
    assert paid == [("eve", 500), ("eve", 500)]

    own = journal.entries("t", call_id="call_0_0")
    answered = Counter((e.data.get("task"), e.data.get("ask")) for e in own if e.kind in ("approved", "edited", "rejected"))
    assert all(n == 1 for n in answered.values()), [(e.seq, e.kind, e.data.get("ask")) for e in own]
