"""A JSON-schema (MCP) tool's recipient written as an object is judged by its property names too.

Fault. A mail tool whose recipient is an object (`"to": {"type": "object", "properties": {"email": ...}}`,
as MCP servers often type a contact) is given `{"email": "me@home.example"}`. `_recipient_texts`
(guards/_privacy_decl.py) reads a typed recipient's field values alone (a model's field names are named by
its schema, not written by the model), but every key of a mapping as a recipient too; a JSON-schema tool's
objects are kept as mappings (`vfa/_json_schema._object_of`), so the property name "email" is read as a
recipient, who may not read the user's SSN: mailing the user their own SSN is denied. The same tool
written in Python (`to: Contact`) is allowed. docs/privacy.md: a typed recipient "names every text the tool can read
of it"; and every disclosure through a JSON-schema tool should be judged like a
Python tool's.

What must hold: a property name the tool's schema declares for the recipient's object is no recipient (as
a model's field name is not), so the mail to the user runs under either tool; a mail to mallory is denied.

Fixed: not yet: a stated limit in docs/privacy.md (strict xfail); it fails closed.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool, tool
from pydantic import BaseModel

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

pytestmark = pytest.mark.filterwarnings("ignore:privacy source of read tool")
USER = "me@home.example"
MALLORY = "mallory@evil.example"
SSN = "078-05-1120"
SCHEMA = {"type": "object", "required": ["to", "body"], "properties": {
    "to": {"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"],
           "additionalProperties": False},
    "body": {"type": "string"}}}


class Contact(BaseModel):
    email: str


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Ann", "ssn": SSN}


def _mail(kind: str, sent: list[Any]) -> Any:
    async def send_json(**kw: Any) -> str:
        sent.append(kw)
        return "sent"

    async def send_py(to: Contact, body: str) -> str:
        """Send a mail."""
        sent.append(body)
        return "sent"

    made = (StructuredTool(name="send", description="Send a mail.", args_schema=SCHEMA, coroutine=send_json)
            if kind == "json" else StructuredTool.from_function(coroutine=send_py, name="send"))
    return privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(made))


def _run(kind: str, to: str) -> tuple[str, list[Any]]:
    sent: list[Any] = []

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if len(results) == 1:
            ssn = json.loads(results[0].content)["ssn"]  # its handle
            return AIMessage("", tool_calls=[{"name": "send", "id": "c2", "args": {"to": {"email": to}, "body": ssn}}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"decl-object")
    app = Agent(ScriptedModel(rule=rule), [get_profile, _mail(kind, sent)], guards=[flow.guard()], flow=flow).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage(f"Mail my SSN to {to}.")]},
                                  {"configurable": {"thread_id": "t"}}))
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"], sent


@pytest.mark.parametrize("kind", ["python", pytest.param("json", marks=pytest.mark.xfail(strict=True, reason=(
    "a stated limit (docs/privacy.md, privacy sinks): a JSON-schema object's keys are read as recipients too (fails closed)")))])
def test_an_object_recipient_is_judged_by_the_address_it_holds(kind: str) -> None:
    outcome, sent = _run(kind, USER)
    assert outcome == "ran" and len(sent) == 1, f"the user's own SSN mailed to the user was {outcome}"


@pytest.mark.parametrize("kind", ["python", "json"])
def test_control_an_object_recipient_who_may_not_read_is_denied(kind: str) -> None:
    outcome, sent = _run(kind, MALLORY)
    assert outcome == "denied" and sent == []
