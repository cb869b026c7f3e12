"""The messages' audit of a result hidden whole that the live flow labelled public agrees with live.

A result that shows the value of one of the thread's handles is shown to the model as one handle, labelled
with the readers of that handle (`_results._derived`). A handle may be public: a private field of a record
shared with everyone (`readers_from` naming "*") is handled, and its label has no readers (anyone). The gate
records in its message the readers it gave a result it hid whole (then `PrivacyFlow.hidden_readers`), for
`trace_from_messages` to give the audit; but it answered None both for a result it did not hide
and for one it hid with no readers, so the message records nothing for the public one, and the audit labels
the handle private to the user (`PrivacyFlow.observe(hidden=True)` without `readers`).

Here a web page of offers shows a public coupon code the thread holds as a handle; the model sends the
page's handle to bob. Live, the send is allowed (the code is anyone's), and the journal's audit agrees; the
messages' audit reports a confidentiality breach live never saw.

Must hold: the audit of the messages reports what the live guard (and the journal's audit) reported, for a
result hidden whole whatever its readers; the control, a private coupon, is denied live and reported by both.

Fixed: the flow's `hidden_label` records a public hidden result's readers as ["*"] (`PUBLIC_SINK`), which
the audit reads as anyone's.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import (PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_journal,
                    trace_from_messages)
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER, BOB = "me@home.example", "bob@family.example"
POLICY = PrivacyPolicy.of(USER)
CODE = "PROMO-7731-LEMON"
SECRET = b"rt185-hidden-public"


def _tools(sent: list[Any], shared_with: list[str]) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["code"], readers_from=["shared_with"], kind="coupon", key="id")
    def get_coupon() -> dict:
        """The user's coupon, and whom it is shared with."""
        return {"id": 1, "code": CODE, "shared_with": list(shared_with)}

    @privacy_sink()
    @privacy_source(untrusted=True)
    def offers() -> str:
        """Today's offers on the web."""
        return f"Top offer: use code {CODE} at checkout"

    @privacy_sink(disclose={"text": "to"})
    @effect
    def send(to: list[str], text: str) -> str:
        """Send a text to people."""
        sent.append((to, text))
        return "sent"

    return [get_coupon, offers, send]


def _rule(ms: list[Any]) -> AIMessage:
    """The coupon (its code a handle), the offers, which show the code (hidden whole), its handle sent to bob."""
    n = sum(isinstance(m, AIMessage) for m in ms)
    steps = [("get_coupon", {}), ("offers", {}),
             ("send", {"to": [BOB], "text": str(ms[-1].content)})]
    if n < len(steps):
        return AIMessage("", tool_calls=[{"name": steps[n][0], "args": steps[n][1], "id": f"c{n}"}])
    return AIMessage("done")


@pytest.mark.parametrize("shared_with", [["*"], []], ids=["public", "private"])
@pytest.mark.parametrize("agent", ["vfa", "create_agent"])
def test_the_messages_audit_of_a_public_result_hidden_whole_agrees_with_live(agent: str, shared_with: list[str]) -> None:
    sent: list[Any] = []
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=SECRET, journal=journal)
    if agent == "vfa":
        app = Agent(ScriptedModel(rule=_rule), _tools(sent, shared_with), guards=[flow.guard()], flow=flow,
                    journal=journal).compile(checkpointer=InMemorySaver())
    else:
        app = create_agent(ScriptedModel(rule=_rule), _tools(sent, shared_with), checkpointer=InMemorySaver(),
                           middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    out = app.invoke({"messages": [HumanMessage("Send Bob the coupon.")]}, {"configurable": {"thread_id": "t"}})
    public = shared_with == ["*"]
    assert [to for to, _text in sent] == ([[BOB]] if public else [])  # live: anyone may read a public code

    def found(trace: Any) -> list[tuple[str, str, str]]:
        return sorted((v.call_id, v.rule, v.arg) for v in audit_trace(
            trace, _tools([], shared_with), flow=PrivacyFlow(POLICY, secret=SECRET), thread_id="t"))

    expected = [] if public else [("c2", "confidentiality", "text")]
    assert found(trace_from_journal(journal, "t", messages=out["messages"])) == expected
    assert found(trace_from_messages(out["messages"])) == expected, "the messages' audit differs from live"
