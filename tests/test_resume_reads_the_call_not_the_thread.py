"""Resuming a call a person was asked about reads every entry of its thread, twice.

On resume, `Questions._check_place` looks up the interrupt ids this task asked at (`_places`), reading
`journal.entries(thread_id)` whole and decoding every entry's data (every result the thread's tools
returned) to find the few questions and pauses; and `GuardNode._after` reads the whole thread again for
`checked_after`, which only needs the entries from the call's last proposal on. So one approval costs
time linear in the thread's journal: 0.09 s after 1,000 earlier results of 4 KB, 0.34 s after 5,000,
1.2 s after 20,000, where the question itself took a few milliseconds.

What must hold: the journal rows a resume reads (counted through `entries`) do not grow with the number
of effects committed on the thread before the question.

Fixed: Questions._places reads only questions and pauses; GuardNode._after reads from the call's last proposal
on (EffectJournal.entries(after=)).
"""

from __future__ import annotations

from _counting import CountingJournal
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel


@effect
def note(text: str) -> str:
    """Write a note."""
    return "noted " + text


@effect
def pay(amount: int) -> str:
    """Pay."""
    return f"paid {amount}"


@guard
def ask_about_payments(p, c):
    return Escalate(question="pay?") if p.tool == "pay" else ALLOW


def _rows_read_by_resume(earlier: int) -> int:
    journal = CountingJournal()
    for i in range(earlier):
        journal.commit("t", f"earlier{i}", "note", {"text": str(i)}, lambda: "x" * 100)

    def rule(messages):
        return ("pay", {"amount": 5}) if not any(isinstance(m, AIMessage) for m in messages) else "done"

    app = Agent(ScriptedModel(rule=rule), [note, pay], [ask_about_payments], journal=journal).compile(
        checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [("user", "pay")]}, config)
    journal.rows = 0
    out = app.invoke(Command(resume={"type": "approve"}), config)
    assert out["messages"][2].artifact["vfa"]["outcome"] == "committed"
    return journal.rows


def test_a_resume_reads_no_more_of_a_longer_thread() -> None:
    short, long = _rows_read_by_resume(10), _rows_read_by_resume(400)
    assert long <= short + 4, f"a resume read {short} journal rows after 10 earlier effects, {long} after 400"
