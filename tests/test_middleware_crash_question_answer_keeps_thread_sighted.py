"""A call a crash cut off, ended by a person's answer, leaves a tool message its flow recognises.

A mail's effect begins and the process dies before its result is journaled. On restart the guard node
asks the person whether to run it again (the question offers approve, edit and reject); a person who
answers with an edit leaves it unfinished. The node journals the call `failed` with the error "left
unfinished by a person after a crash" but writes the model "send_email was interrupted by a crash and
not run again" (a replay of the same record writes "send_email failed: left unfinished by a person
after a crash"). Under `GuardMiddleware` the flow reads the conversation's tool messages against the
journal: a message that is not what the node writes for its record is a result no record holds, so the
live flow took its own node's message for an unobserved result and blinded the thread. Every later call
was then labelled private to the user and untrusted, so the payment the user asked for in so many words
was denied, while the audit of the conversation found nothing wrong with it: the live guard and the
audit of the messages disagree (found by a differential fuzz of the audits against the live guard).

Fixed: each `failed` ending the node writes after a crash (or a question while a tool waited) shows
"<tool> failed: <error>", as a replay of its record writes it (`_failed`), so the flow reads it as that record.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from benchmarks.privacy.world import USER, World
from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

POLICY = PrivacyPolicy.of(USER)
IBAN = "DE89370400440532013000"


class _Crash(BaseException):
    """The process dying."""


class _DiesBeforeTheResult(EffectJournal):
    """A journal whose process dies once c1's result is to be recorded (its effect ran, or may have)."""

    def _record_result(self, thread_id: str, call_id: str, tool: str, result: Any) -> Any:
        if call_id == "c1":
            raise _Crash()
        return super()._record_result(thread_id, call_id, tool, result)


def _rule(messages: list[Any]) -> Any:
    turn = sum(isinstance(m, AIMessage) for m in messages)
    if turn == 0:
        return AIMessage("", tool_calls=[{"name": "send_email", "id": "c1",
                                          "args": {"to": [USER], "subject": "hi", "body": "note to self"}}])
    if turn == 1:
        return AIMessage("", tool_calls=[{"name": "pay", "id": "c2", "args": {"iban": IBAN, "amount": 1200, "note": "rent"}}])
    return "done"


def _app(kind: str, journal: EffectJournal, conn: Any, world: World) -> Any:
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    if kind == "middleware":
        return create_agent(ScriptedModel(rule=_rule), world.tools(), checkpointer=SqliteSaver(conn),
                            middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    return Agent(ScriptedModel(rule=_rule), world.tools(), guards=[flow.guard()], flow=flow,
                 journal=journal).compile(checkpointer=SqliteSaver(conn))


@pytest.mark.parametrize("kind", ["agent", "middleware"])
def test_a_person_leaving_a_cut_off_call_unfinished_does_not_blind_the_thread(kind: str, tmp_path: Path) -> None:
    world, cfg = World(""), {"configurable": {"thread_id": "t"}}
    journal = _DiesBeforeTheResult(tmp_path / "j.db")
    with closing(sqlite3.connect(tmp_path / "c.db", check_same_thread=False)) as conn:
        with pytest.raises(_Crash):
            _app(kind, journal, conn, world).invoke(
                {"messages": [HumanMessage(f"Mail me a note, then pay {IBAN} 1200 for the rent")]}, cfg)
    journal.close()
    journal = EffectJournal(tmp_path / "j.db")  # the process restarts
    with closing(sqlite3.connect(tmp_path / "c.db", check_same_thread=False)) as conn:
        app = _app(kind, journal, conn, world)
        out = app.invoke(None, cfg)
        q = out["__interrupt__"][0]
        assert q.value["guard"] == "journal" and "edit" in q.value["options"]
        out = app.invoke(Command(resume={q.id: {"type": "edit", "args": q.value["args"]}}), cfg)
        messages = app.get_state(cfg).values["messages"]
    denied = [e.data["reason"] for e in journal.entries("t") if e.kind == "denied"]
    assert denied == [] and world.payments == [{"iban": IBAN, "amount": 1200.0, "note": "rent"}], denied
    tools = World("").tools()
    assert audit_trace(trace_from_messages(messages), tools, flow=PrivacyFlow(POLICY, secret=b"s"), thread_id="t") == []
    assert audit_trace(trace_from_journal(journal, "t", messages=messages), tools,
                       flow=PrivacyFlow(POLICY, secret=b"s"), thread_id="t") == []
