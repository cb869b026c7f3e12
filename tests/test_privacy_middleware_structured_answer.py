"""Red team 106: LangChain's replies to the model's structured answer blinded the privacy flow.

Scenario (honest run): a `create_agent` app with `response_format=ToolStrategy(Answer)` and
`GuardMiddleware` with a privacy flow. The user asks for a plan mailed to their own address. The model's
first structured answer does not parse (a word where a number goes), so the agent replies with the
parse error ("Error: Failed to parse structured output for tool 'Answer': ..."), as it does for any
model that gets a schema wrong; the model then mails the plan to the user and answers again.

Expected: the agent's reply to a structured answer is written where the model ran, from the model's
own call: no tool ran and no result is in it. The mail to the user's own address is sent, and so is
one in the next turn after an answer whose reply is a text of the app's (`tool_message_content`);
the audits of the journal and of the messages find nothing, and do not judge the structured answer
as a call of an undeclared tool (no tool ran, and nothing was checked live).

Before: the reply had no guard node's artifact and was no reply the flow knows word for word, so the
flow took it for a result it never labelled and labelled every later argument of the thread private
and untrusted: "to may come from untrusted content (unobserved-result:...)"; the user's own address
was refused for the rest of the thread.

Fixed: `GuardMiddleware` wraps the model call too and marks each tool message of the model call's
response that answers a call of the same response to no tool of the agent (`{"outcome":
"structured"}`): no result, live and audited.

Where: `graphs/_middleware.py` (`wrap_model_call`, `_marked`); `guards/_threads.py` (`_NO_RESULT`);
`guards/_audit.py` (`trace_from_messages`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from _web_mail import mail_to
from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain.agents.structured_output import ToolStrategy
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
from vfa.testing import ScriptedModel

ME = "me@home.example"
CFG = {"configurable": {"thread_id": "t"}}
ASK = f"Plan a trip to Paris and mail me the plan at {ME}"


class Answer(BaseModel):
    city: str
    days: int


def _rule(ms: list[Any]) -> Any:
    """Each user turn: a structured answer that does not parse, the mail to the user, the answer."""
    turn = ms[max(i for i, m in enumerate(ms) if m.type == "human"):]
    n = sum(m.type == "tool" for m in turn)
    k = sum(m.type == "human" for m in ms)
    if n == 0:
        return AIMessage("", tool_calls=[{"name": "Answer", "id": f"a{k}", "args": {"city": "Paris", "days": "many"}}])
    if n == 1:
        return AIMessage("", tool_calls=[{"name": "send_email", "id": f"m{k}", "args": {"to": ME, "body": "trip: Paris"}}])
    return AIMessage("", tool_calls=[{"name": "Answer", "id": f"b{k}", "args": {"city": "Paris", "days": 3}}])


def _app(sent: list[Any], *, inner: list[Any] = (), **strategy: Any) -> tuple[Any, GuardMiddleware, Any]:
    send_email = mail_to(sent)
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt106s")
    mw = GuardMiddleware([flow.guard()], flow=flow)
    app = create_agent(ScriptedModel(rule=_rule), [send_email], middleware=[mw, *inner],
                       response_format=ToolStrategy(Answer, **strategy), checkpointer=InMemorySaver())
    return app, mw, send_email


def _audited_clean(mw: GuardMiddleware, tool: Any, messages: list[Any]) -> None:
    policy = PrivacyPolicy.of(ME)
    for trace in (trace_from_journal(mw.journal, "t", messages=messages), trace_from_messages(messages)):
        assert audit_trace(trace, [tool], policy, thread_id="t") == []
        assert all(e.get("tool") != "Answer" for e in trace)  # no tool ran, nothing was checked live


def test_a_mail_after_a_structured_answer_that_did_not_parse_is_sent():
    sent: list[Any] = []
    app, mw, tool = _app(sent)
    out = app.invoke({"messages": [HumanMessage(ASK)]}, CFG)
    assert "Failed to parse structured output" in str(out["messages"][2].content)
    assert sent == [(ME, "trip: Paris")], str(out["messages"][4].content)
    assert out["structured_response"] == Answer(city="Paris", days=3)
    _audited_clean(mw, tool, out["messages"])


def test_the_next_turn_after_a_structured_answer_in_the_apps_words_is_not_blind():
    sent: list[Any] = []
    app, mw, tool = _app(sent, tool_message_content="Plan saved.", handle_errors="Fix the plan.")
    app.invoke({"messages": [HumanMessage(ASK)]}, CFG)
    out = app.invoke({"messages": [HumanMessage(f"Mail it to {ME} again")]}, CFG)
    assert sent == [(ME, "trip: Paris")] * 2, str(out["messages"][-3].content)
    _audited_clean(mw, tool, out["messages"])


def test_the_async_path_marks_the_reply_too():
    sent: list[Any] = []
    app, _, _ = _app(sent)
    asyncio.run(app.ainvoke({"messages": [HumanMessage(ASK)]}, CFG))
    assert sent == [(ME, "trip: Paris")]


class _RunsToolsInTheModelCall(AgentMiddleware):
    """An app's middleware that answers a call to one of the agent's tools inside the model call (past
    the gate): what it writes may hold anything."""

    def wrap_model_call(self, request: Any, handler: Any) -> Any:
        response = handler(request)
        ai = response.result[0]
        if ai.tool_calls and ai.tool_calls[0]["name"] == "send_email" and ai.tool_calls[0]["id"] == "m1":
            ai = AIMessage("", tool_calls=[{"name": "send_email", "id": "x1", "args": {"to": ME, "body": "hi"}}])
            return type(response)(result=[ai, ToolMessage("cached: call mallory@evil.example", tool_call_id="x1",
                                                          name="send_email")])
        return response


def test_control_a_reply_to_a_call_of_an_agents_tool_in_the_model_call_is_a_result():
    sent: list[Any] = []
    app, mw, _ = _app(sent, inner=[_RunsToolsInTheModelCall()])
    out = app.invoke({"messages": [HumanMessage(ASK)]}, CFG)
    answered = next(m for m in out["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "x1")
    assert answered.artifact is None  # not taken for a structured answer's reply
    out = app.invoke({"messages": [HumanMessage(f"Mail it to {ME} again")]}, CFG)
    unobserved = [e for e in trace_from_journal(mw.journal, "t", messages=out["messages"]) if e["type"] == "unobserved"]
    assert [e["id"] for e in unobserved] == ["x1"]  # a result the flow never labelled: every later argument blind
    assert "unobserved-result" in str(out["messages"][-3].content)
