"""A call a person's approval covers read every result the thread ever journaled.

The privacy guard looks for the approvals "for this recipient" given on a thread (`PrivacyGuard._approved`)
each time a call carries private data to someone who may not read it. It read them with
`journal.entries(thread_id)`: every row of the thread, each tool result's data included, to keep the
few questions and answers among them. On a long thread that reads large results (an assistant going
through a mailbox, mailing a summary now and then), each such call copies the whole thread's results
out of SQLite: measured, 15 ms for a read and a mail at the thread's start, 180 ms after 400 reads of
20 KB each, most of it in that one read, so the thread's cost grows with the square of its length.

What must hold: the journal hands the guard's check of a covered call no tool result (what it reads
does not grow with the results the thread holds), and the approval still covers the call.

Fixed: `EffectJournal.entries` takes `kinds`, and `PrivacyGuard._approved` asks for question and answer rows
only.
"""

from __future__ import annotations

from typing import Any

from _mail import mail_effect
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import APPROVE_FOR_RECIPIENT, PrivacyFlow, PrivacyPolicy, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

USER, BOB, SSN = "me@home.example", "bob@family.example", "123-45-6789"
READS = 40
LETTERS = "abcdefghijklmnopqrstuvwxyz"
BIO = "lorem ipsum " * 4000  # about 48 KB a result


class _Counting(EffectJournal):
    """Counts the bytes of entry data the journal hands out for whole-thread reads, while `counting`."""

    counting = False
    read = 0

    def entries(self, thread_id: Any = None, **kw: Any) -> Any:
        out = super().entries(thread_id, **kw)
        if self.counting and kw.get("call_id") is None:
            self.read += sum(len(e[6]) for e in out)
        return out


def test_a_covered_call_reads_no_result_from_the_journal() -> None:
    sent: list[Any] = []

    @privacy_source(private=["ssn"], kind="person", handle=False)
    def get_person(folder: str) -> dict:
        """A person's record."""
        return {"name": "Ann", "ssn": SSN, "bio": f"{folder} {BIO}"}

    def read(n: int) -> AIMessage:  # folders named by letters: digits published call by call could cut the SSN
        folder = "folder " + LETTERS[n % 26] + LETTERS[n // 26]
        return AIMessage("", tool_calls=[{"name": "get_person", "args": {"folder": folder}, "id": f"r{n}"}])

    def mail(n: int) -> AIMessage:
        return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": [BOB], "body": f"ssn {SSN} ({n})"},
                                          "id": f"m{n}"}])

    def scripted(messages: list[Any]) -> Any:
        results = sum(m.type == "tool" for m in messages)
        if results == 0:
            return read(0)
        if results == 1:
            return mail(1)  # asked: the person approves it for bob
        if results < READS + 2:
            return read(results)
        if results == READS + 2:
            journal.counting = True
            return mail(2)  # covered by the approval: no question
        journal.counting = False
        return "done"

    journal = _Counting()
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), journal=journal)
    app = Agent(ScriptedModel(rule=scripted), [get_person, mail_effect(sent)], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}, "recursion_limit": 1000}
    out = app.invoke({"messages": [HumanMessage(f"mail {BOB} the SSN now and then")]}, cfg)
    assert out.get("__interrupt__"), "the first mail is asked about"
    out = app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), cfg)
    assert not out.get("__interrupt__") and len(sent) == 2, "the approval covers the second mail"
    held = sum(len(e[6]) for e in EffectJournal.entries(journal, "t"))
    assert held > READS * len(BIO)
    assert journal.read < 64 * 1024, f"the covered mail's check read {journal.read:,} bytes of a {held:,}-byte thread"
