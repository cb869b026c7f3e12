"""A person's answer is journaled once, also on a branch whose first answer was journaled apart.

A fork of the thread (`update_state`) asked the question again, was approved, and began the payment, which a
crash cut off. The main branch's answer to its own question, asked before that start, is journaled apart
(`Questions._apart`, red team 218): it decides nothing of the call. The main branch then recovers the
call: it asks whether to run it again (approved), then asks its guard's question again (approved).

`Questions` keeps the answers its task journaled in the call's record as a list by place, but built it
from the places that have one (`sorted(answers)`): with the first place's answer journaled apart, every
later answer sat one place early. On the next resume, `replay` compared each question's answer with the
answer of the question after it, and took the last journaled place for one with no answer: the recovery's
approval was journaled a second time into the call's record (two `approved` entries for one question of
one task), and a question's answer was read at another question's place.

What must hold: each question of a task is answered once in the call's own record, and the recovered
call runs once more, as the person approved.

Fixed: Questions keeps the journaled answers by place (_journaled) and replay lines answers up with asked.
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
ANSWERS = ("approved", "edited", "rejected")


def test_answers_after_one_journaled_apart_are_each_journaled_once(tmp_path: Path) -> None:
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

    out = app.invoke(Command(resume={"type": "reject"}), main)  # journaled apart: the fork began the call
    assert [i.value.get("guard") for i in out["__interrupt__"]] == ["journal"]
    out = app.invoke(Command(resume={"type": "approve"}), main)  # run it again
    assert [i.value.get("guard") for i in out["__interrupt__"]] == ["large"]
    out = app.invoke(Command(resume={"type": "approve"}), main)  # and its guard's question, asked again
    assert not out.get("__interrupt__")
    assert out["messages"][2].artifact["vfa"]["outcome"] == "committed"
    assert paid == [("eve", 500), ("eve", 500)]

    own = journal.entries("t", call_id="call_0_0")
    answered = Counter((e.data.get("task"), e.data.get("ask")) for e in own if e.kind in ANSWERS)
    assert all(n == 1 for n in answered.values()), [(e.seq, e.kind, e.data.get("ask")) for e in own]
