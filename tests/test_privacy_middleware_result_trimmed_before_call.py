"""A result no guard node wrote, read by the model and trimmed from the state before its next call."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal
from tests._web_mail import (
    INJECTION,
    ME,
    AnsweredPastTheGate,
    KeepTheConversation,
    mail_to,
    obeys_at_go_ahead,
    web_page,
)
from vfa.testing import ScriptedModel


def _run(*, trim: bool, use_async: bool = False) -> tuple[list[Any], list[Any], Any]:
    sent: list[Any] = []
    tools = [web_page("(the live page, never read: the cache answers)"), mail_to(sent)]
    policy = PrivacyPolicy.of(ME)
    flow = PrivacyFlow(policy, secret=b"trimmed")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["browse"])
    middleware = [mw, AnsweredPastTheGate("browse", INJECTION)] + ([KeepTheConversation()] if trim else [])
    app = create_agent(ScriptedModel(rule=obeys_at_go_ahead), tools, middleware=middleware, checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    for text in ("What does the partner quote?", "Fine, go ahead."):
        out = asyncio.run(app.ainvoke({"messages": [HumanMessage(text)]}, config)) if use_async else \
            app.invoke({"messages": [HumanMessage(text)]}, config)
    findings = audit_trace(trace_from_journal(mw.journal, "t", messages=out["messages"]), tools, policy,
                           thread_id="t")
    return sent, findings, out


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_privacy_result_past_gate_trimmed_before_next_call(use_async: bool) -> None:
    """Attack: an app's cache answers `browse` past the gate with a page that asks for a mail to the
    attacker; the model reads it and answers in words; at the user's next message the app's trimming
    drops the tool turns before the model runs again, and the model then mails the attacker. When the flow
    read the thread only at each tool call, it never saw the page: the thread looked clean, and the
    attacker's address passed as the model's own choice.

    Fixed: `GuardMiddleware` hands the flow what each model call reads (`PrivacyFlow.read`), so a result no
    guard node wrote blinds the thread the moment the model reads it, and is journaled as unobserved.

    Where: `graphs/_middleware.py` (`wrap_model_call`), `guards/_flow.py` (`read`)."""
    sent, findings, out = _run(trim=True, use_async=use_async)
    assert not any(isinstance(m, ToolMessage) and m.tool_call_id == "b1" for m in out["messages"])  # trimmed
    assert sent == []
    denied = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "m1"]
    assert denied and denied[0].status == "error" and "unobserved-result" in str(denied[0].content)
    # the journal's audit knows the page too, though no message shows it any more: as without the trimming
    assert {(v.call_id, v.arg) for v in findings} == {(v.call_id, v.arg) for v in _run(trim=False)[1]}


def test_privacy_result_past_gate_denied_untrimmed_too() -> None:
    """The same run without trimming: denied at the call, as before (the baseline the trimmed run must match)."""
    sent, findings, _ = _run(trim=False)
    assert sent == []
    assert ("m1", "to") in {(v.call_id, v.arg) for v in findings}
