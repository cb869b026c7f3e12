"""What the user typed stops counting as their word once LangChain's summariser folds their message away.

The flow reads the user's words from the human messages the state holds at each call. Results are kept
("Labels come from every result a thread ever showed the model, also once its message is trimmed from the
state"), but the user's words are not, and the journal keeps none of them. `SummarizationMiddleware` replaces
the old messages with a summary (marked `lc_source`, rightly never the user's word), so:

1. Live, a false denial: the user asks for the partner's quote "mailed to bob@x.example"; the model reads the
   page (untrusted), the user says "Yes, send it", the summariser folds the first message away, and the mail to
   the address the user typed is denied (`authority needs the user`), as if the page had named Bob. Without the
   summariser (the control) it goes. The README documents approvals being asked again after such a trim, not
   that the user's own words stop counting.
2. Audit: the same mail sent before the summariser runs is allowed live, yet `trace_from_journal(journal, t,
   messages=final state)`, which the README says to read with the thread's messages, reports it as an
   `integrity` violation: the user's message it was grounded on is gone from the messages, and the journal
   never recorded it. The audit reports what the live guard never found.

Expected: words a user typed on a thread keep grounding later calls once a summariser folds their message
(as results keep their labels), and the journal's audit reads the call with the words it was labelled with.

A stated limit (docs/privacy.md, "Missed"): the two tests below are strict xfails, to be turned when the flow keeps
(and journals) the user's words a call was labelled with.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import SummarizationMiddleware
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal
from tests._web_mail import ME, PARTNER, mail_to, web_page
from vfa.testing import ScriptedModel

BOB = "bob@x.example"
CFG = {"configurable": {"thread_id": "t"}}
PAGE = "Quote: 120 EUR, valid until Friday."


def _call(name: str, args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])


def _run(steps: list[Any], prompts: list[str], *, summarise: bool) -> tuple[list[Any], list[Any], Any]:
    """Run `prompts` on one thread of a guarded `create_agent` whose model takes `steps` in order; returns the
    mails sent, the journal audit's (call id, rule, argument) findings and the journal."""
    sent: list[Any] = []
    tools = [web_page(PAGE), mail_to(sent)]
    at = iter(steps)
    summariser = ScriptedModel(rule=lambda ms: AIMessage(f"The user wants the partner's quote mailed to {BOB}."))
    compact = [SummarizationMiddleware(summariser, trigger=("messages", 4), keep=("messages", 1))] if summarise else []
    policy = PrivacyPolicy.of(ME)
    flow = PrivacyFlow(policy, secret=b"user-words-summary")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["browse"])
    app = create_agent(ScriptedModel(rule=lambda ms: next(at, AIMessage("done"))), tools,
                       middleware=[*compact, mw], checkpointer=InMemorySaver())
    out: Any = None
    for prompt in prompts:
        out = app.invoke({"messages": [HumanMessage(prompt)]}, CFG)
    audit = [(v.call_id, v.rule, v.arg) for v in audit_trace(
        trace_from_journal(mw.journal, "t", messages=out["messages"]), tools, policy, thread_id="t")]
    return sent, audit, mw.journal


ASK = f"Get me the partner's quote and mail it to {BOB}."
AFTER_SUMMARY = [_call("browse", {"url": PARTNER}, "b1"), AIMessage("The quote is 120 EUR. Shall I send it?"),
                 _call("send_email", {"to": BOB, "body": "The quote is 120 EUR."}, "m1"), AIMessage("Sent.")]


def test_control_without_a_summariser_the_typed_recipient_is_mailed() -> None:
    sent, audit, _ = _run(AFTER_SUMMARY, [ASK, "Yes, send it."], summarise=False)
    assert sent == [(BOB, "The quote is 120 EUR.")]
    assert audit == []


@pytest.mark.xfail(strict=True, reason="stated limit: the user's words a summariser folds away ground no later call")
def test_the_typed_recipient_is_mailed_after_the_summary() -> None:
    sent, audit, journal = _run(AFTER_SUMMARY, [ASK, "Yes, send it."], summarise=True)
    denied = [e.data.get("reason") for e in journal.entries("t") if e.kind == "denied"]
    assert sent == [(BOB, "The quote is 120 EUR.")], denied
    assert audit == []


@pytest.mark.xfail(strict=True, reason="stated limit: the journal's audit reads the user's words from the messages it is given")
def test_the_journal_audit_reports_nothing_for_a_mail_allowed_before_the_summary() -> None:
    # the mail goes in the first turn, with the user's message in the state; the summariser folds it later
    steps = [_call("browse", {"url": PARTNER}, "b1"), _call("send_email", {"to": BOB, "body": "The quote is 120 EUR."}, "m1"),
             AIMessage("Sent."), AIMessage("You're welcome."), AIMessage("Bye.")]
    sent, audit, journal = _run(steps, [ASK, "Thanks.", "Bye."], summarise=True)
    assert sent == [(BOB, "The quote is 120 EUR.")]  # live: the user's word
    assert not [e for e in journal.entries("t") if e.kind == "denied"]
    assert audit == [], "the audit reports a violation the live guard never found"
