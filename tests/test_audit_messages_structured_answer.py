"""The audit of an unguarded agent's conversation leaves out its structured answer when told its name.

Scenario: a `create_agent` app *without* vfa and with `response_format=ToolStrategy(Answer)` reads the
user's profile (private SSN) and answers the user with it, as its structured answer. Its log is audited
with `trace_from_messages`.

Expected: the structured answer is the model's answer to the user, and no tool ran: given its name
(`structured=["Answer"]`), the audit leaves the call and LangChain's reply out, as a live
`GuardMiddleware` does (it marks the reply). Without the name the audit cannot know "Answer" is no tool,
and judges it as an undeclared tool that publishes what it is given (fail closed), as before.
"""

from __future__ import annotations

from typing import Any

from _profile_mail import SSN, USER, profile_and_mail
from langchain.agents import create_agent
from langchain.agents.structured_output import ToolStrategy
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel

from guards import PrivacyPolicy, audit_trace, trace_from_messages
from vfa.testing import ScriptedModel


class Answer(BaseModel):
    name: str
    ssn: str


def _log() -> tuple[list[Any], list[Any]]:
    get_profile, send_email, _ = profile_and_mail([])

    def rule(ms: list[Any]) -> Any:
        if not any(m.type == "tool" for m in ms):
            return AIMessage("", tool_calls=[{"name": "get_profile", "id": "p1", "args": {}}])
        return AIMessage("", tool_calls=[{"name": "Answer", "id": "a1", "args": {"name": "Ann", "ssn": SSN}}])

    app = create_agent(ScriptedModel(rule=rule), [get_profile, send_email], response_format=ToolStrategy(Answer))
    out = app.invoke({"messages": [HumanMessage("What is my SSN?")]})
    assert out["structured_response"] == Answer(name="Ann", ssn=SSN)
    return out["messages"], [get_profile, send_email]


def test_the_structured_answer_named_is_left_out_of_the_audit():
    messages, tools = _log()
    trace = trace_from_messages(messages, structured=["Answer"])
    assert [e["type"] for e in trace] == ["user", "call", "result"]
    assert audit_trace(trace, tools, PrivacyPolicy.of(USER)) == []
    assert trace_from_messages(messages, structured="Answer") == trace  # one name as a string too


def test_unnamed_the_structured_answer_is_judged_as_an_undeclared_tool():
    messages, tools = _log()
    found = audit_trace(trace_from_messages(messages), tools, PrivacyPolicy.of(USER))
    assert [v.tool for v in found] == ["Answer"]
