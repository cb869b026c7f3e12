"""Red team 150: an edit answering the question about a start cut off by a crash is asked about again.

A transfer started on the thread and was cut off by a crash that no checkpoint kept; the model proposes
the transfer again under a new id and the guard asks ("journal"). The person answers with an edit (pay 5,
not 7). On resume the call goes on with the edit's arguments, `_lost` builds its question again from
them, finds it not among those asked, and asks a second "journal" question about the same lost start
(the code says "asked once: an edit is checked again by the guards alone"): the person's answer is not
taken, and the thread waits again on a question already answered.

Fixed: on resume, every cut-off start an answered "journal" question of the task named is ended, whatever
the answer (an edit too).
"""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


def test_an_edit_answers_the_question_about_a_lost_start_once() -> None:
    paid: list = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append((to, amount))
        return "sent"

    journal = EffectJournal()
    # a start with no outcome, written by no live run (a crash), of a call no checkpoint kept
    journal.append([("t", "c0", "transfer", "proposed", {"args": {"to": "bob", "amount": 7}}),
                    ("t", "c0", "transfer", "started", {"args": {"to": "bob", "amount": 7}})])
    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 7}), "done"]), [transfer],
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "pay bob")]}, cfg)
    assert [i.value["guard"] for i in out["__interrupt__"]] == ["journal"]
    out = app.invoke(Command(resume={"type": "edit", "args": {"to": "bob", "amount": 5}}), cfg)
    assert not out.get("__interrupt__"), [i.value["question"] for i in out["__interrupt__"]]
    assert paid == [("bob", 5)]
    assert [e.kind for e in journal.entries("t")].count("escalated") == 1
    lost = [e for e in journal.entries("t", call_id="c0") if e.kind == "failed"]
    assert len(lost) == 1 and "edit" in lost[0].data["error"]
