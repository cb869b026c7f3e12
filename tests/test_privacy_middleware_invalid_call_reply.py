"""Red team 108: LangChain's reply to a malformed tool call (patched in by the model node) blinds the privacy flow, and the messages audit cannot read the conversation.

Attack / scenario (honest run): a `create_agent` app with `GuardMiddleware` and a privacy flow. The user
asks for two mails to their own address. The model's first turn makes one valid call and one whose
JSON arguments are truncated (an `invalid_tool_calls` entry, as any real model sometimes writes). The
mail runs; at the next model call LangChain's model node patches the history with its own reply to the
invalid call (`_patch_invalid_tool_calls`: a `ToolMessage` "Tool call send_email with id bad1 could not
be executed - arguments were malformed or truncated.", status "error"), written where the model ran
(as a structured answer's reply is, which `GuardMiddleware` now marks), never by a tool. The model
then mails the second part to the user.

Expected: the reply holds no tool result (a fixed text naming the model's own call), so the second
mail to the user's own address is sent, and both audits read the conversation and find nothing.

Actual: the flow takes the reply for a result it never labelled: "to may come from untrusted content
(unobserved-result:...)" for the rest of the thread; and `trace_from_messages` raises `TraceError`
("a error for call id 'bad1', which no call before it made"): the audit of the messages cannot read
an ordinary LangChain conversation.

Fixed: LangChain's reply to a call of the turn's `invalid_tool_calls` is one of its fixed replies
(`guards/_threads.py` `_fixed_replies(..., invalid=True)`, word for word, naming only the model's call):
no result, live and audited; `trace_from_messages` places it after the turn and leaves it out.

Where: `graphs/_middleware.py` (`_marked` sees only the response; the patched reply is in the request's
history), `guards/_threads.py` (what counts as no result), `guards/_audit.py` `trace_from_messages`
(a reply to an `invalid_tool_calls` entry).
"""

from __future__ import annotations

from typing import Any

from _web_mail import mail_to
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
from vfa.testing import ScriptedModel

ME = "me@home.example"
CFG = {"configurable": {"thread_id": "t"}}


def _run(truncated: bool) -> tuple[list[Any], Any, Any, list[Any]]:
    sent: list[Any] = []
    send_email = mail_to(sent)
    bad = [{"name": "send_email", "args": '{"to": "me@home', "id": "bad1", "error": "malformed JSON",
            "type": "invalid_tool_call"}] if truncated else []

    def rule(ms: list[Any]) -> Any:
        calls = [c["id"] for m in ms if m.type == "ai" for c in m.tool_calls]
        if not calls:
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m1", "args": {"to": ME, "body": "part one"}}],
                             invalid_tool_calls=bad)
        if "m2" not in calls:
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m2", "args": {"to": ME, "body": "part two"}}])
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt108i")
    mw = GuardMiddleware([flow.guard()], flow=flow)
    app = create_agent(ScriptedModel(rule=rule), [send_email], middleware=[mw], checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage(f"Mail me the two parts at {ME}")]}, CFG)
    return sent, mw, send_email, out["messages"]


def test_control_without_a_malformed_call_both_mails_go():
    sent, mw, tool, messages = _run(truncated=False)
    assert sent == [(ME, "part one"), (ME, "part two")]
    assert audit_trace(trace_from_messages(messages), [tool], PrivacyPolicy.of(ME), thread_id="t") == []


def test_a_malformed_call_does_not_blind_the_rest_of_the_thread():
    sent, _, _, messages = _run(truncated=True)
    assert any(getattr(m, "tool_call_id", None) == "bad1" for m in messages)  # LangChain's own reply
    assert sent == [(ME, "part one"), (ME, "part two")], str(messages[-2].content)[:200]


def test_the_audits_read_a_conversation_with_a_malformed_call():
    _, mw, tool, messages = _run(truncated=True)
    for trace in (lambda: trace_from_messages(messages), lambda: trace_from_journal(mw.journal, "t", messages=messages)):
        found = audit_trace(trace(), [tool], PrivacyPolicy.of(ME), thread_id="t")  # raises TraceError today
        assert [v for v in found if v.call_id == "m2"] == []
