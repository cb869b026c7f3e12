"""`audit_trace` reads a thread id as the guard node and `trace_from_journal` key it: its text.

A run's config may name its thread by an int or a UUID; the guard node journals it under its text
(`thread_key`), and `trace_from_journal(journal, 7)` reads it so. The audit of that trace must
be given the same thread id for its flow to mint the handles the run minted (`audit_trace`'s docstring:
"Give a flow with the live run's secret and `thread_id`"); given the same 7, it raised a `TraceError`
blaming the trace's first call ("event 1: ValidationError ... thread_id"), though no event was wrong.

Must hold: `audit_trace(..., thread_id=7)` audits the run as `thread_id="7"` does (here: the private coupon
sent to bob, denied live, is reported); `thread_id=None` is refused naming it, not blamed on an event.

Fixed: both read the id through one helper (`_thread_of`).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_journal
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER, BOB = "me@home.example", "bob@family.example"
POLICY = PrivacyPolicy.of(USER)
SECRET = b"rt185-thread-id"


def _tools(sent: list[Any]) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["code"], kind="coupon", key="id")
    def get_coupon() -> dict:
        """The user's coupon."""
        return {"id": 1, "code": "PROMO-7731-LEMON"}

    @privacy_sink(disclose={"text": "to"})
    @effect
    def send(to: list[str], text: str) -> str:
        """Send a text to people."""
        sent.append((to, text))
        return "sent"

    return [get_coupon, send]


def _rule(ms: list[Any]) -> AIMessage:
    """The coupon (its code a handle), then the code's handle sent to bob."""
    n = sum(isinstance(m, AIMessage) for m in ms)
    if n == 0:
        return AIMessage("", tool_calls=[{"name": "get_coupon", "args": {}, "id": "c0"}])
    if n == 1:
        code = str(ms[-1].content).split('"code": "')[1].split('"')[0]
        return AIMessage("", tool_calls=[{"name": "send", "args": {"to": [BOB], "text": code}, "id": "c1"}])
    return AIMessage("done")


def _run() -> tuple[EffectJournal, list[Any]]:
    sent: list[Any] = []
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=SECRET, journal=journal)
    app = Agent(ScriptedModel(rule=_rule), _tools(sent), guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("Send Bob my coupon.")]}, {"configurable": {"thread_id": 7}})
    assert sent == []  # live: bob may not read the user's coupon
    return journal, out["messages"]


@pytest.mark.parametrize("thread_id", ["7", 7], ids=["text", "int"])
def test_the_audit_reads_the_thread_id_the_run_was_given(thread_id: Any) -> None:
    journal, messages = _run()
    trace = trace_from_journal(journal, thread_id, messages=messages)
    found = audit_trace(trace, _tools([]), flow=PrivacyFlow(POLICY, secret=SECRET), thread_id=thread_id)
    assert [(v.call_id, v.rule, v.arg) for v in found] == [("c1", "confidentiality", "text")]


def test_no_thread_id_is_refused_naming_it() -> None:
    journal, messages = _run()
    trace = trace_from_journal(journal, 7, messages=messages)
    with pytest.raises(TypeError, match="thread_id"):
        audit_trace(trace, _tools([]), flow=PrivacyFlow(POLICY, secret=SECRET), thread_id=None)
