"""A tool's own validator that raises other than `ValueError` on a hostile argument crashes the graph instead
of denying the call.

Attack. The model writes `send_email(to=5, body="hi")` for a LangChain tool whose `args_schema` trims the
recipient in a `model_validator(mode="before")` (`data["to"].strip()`). Pydantic turns only `ValueError` and
`AssertionError` of a validator into a `ValidationError`; the `AttributeError` goes through
`ToolSpec.validate`, which catches `ValidationError` alone, and out of the gate: the run ends with
`AttributeError: 'int' object has no attribute 'strip'` raised from the tools node. The same schema beside an
injected argument denies the call (`_as_the_tool_reads` turns what its own check raises into a denial), and
the README says invalid arguments are denials, not crashes.

Why it matters. Whatever the model proposes must end in a verdict: a model steered by untrusted content can
end the user's run (and every retry of it) with one wrong-typed argument, and an app sees no denial to show.

Expected. A call whose validation raises is denied (`schema`) and the run goes on; nothing is sent.

Fixed: `ToolSpec.validate` turns whatever the schema's validation raises into an `ArgumentError` (a denial), and
`_fails_only_in` reads such a failure as not known where.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import StructuredTool, tool
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel, BeforeValidator, model_validator

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

USER = "me@home.example"
CFG = {"configurable": {"thread_id": "t"}}


class MailArgs(BaseModel):
    to: str
    body: str

    @model_validator(mode="before")
    @classmethod
    def _trim(cls, data: Any) -> Any:
        if isinstance(data, dict) and "to" in data:
            data = {**data, "to": data["to"].strip()}  # raises AttributeError when `to` is no text
        return data


def _rule(messages: list[Any]) -> Any:
    if any(m.type == "tool" for m in messages):
        return AIMessage("done")
    return AIMessage("", tool_calls=[{"name": "send_email", "id": "c1", "args": {"to": 5, "body": "hi"}}])


def test_middleware_denies_a_call_its_tools_validator_raises_on() -> None:
    sent: list[Any] = []

    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    fn = privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(send_email))
    mail = StructuredTool.from_function(fn, name="send_email", args_schema=MailArgs)
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt170")
    app = create_agent(ScriptedModel(rule=_rule), [mail], middleware=[graphs.GuardMiddleware([flow.guard()], flow=flow)],
                       checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("Say hi to me.")]}, CFG)
    reply = [m for m in out["messages"] if m.type == "tool"][-1]
    assert reply.artifact["vfa"]["outcome"] == "denied" and sent == []


def test_agent_denies_a_call_its_effects_validator_raises_on() -> None:
    sent: list[Any] = []

    @effect
    def send_email(to: Annotated[str, BeforeValidator(lambda v: v.strip())], body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    app = Agent(ScriptedModel(rule=_rule), tools=[send_email]).compile()
    try:
        out = app.invoke({"messages": [HumanMessage("Say hi to me.")]}, CFG)
    except AttributeError as exc:
        pytest.fail(f"the run crashed on the model's call: {exc!r}")
    reply = [m for m in out["messages"] if m.type == "tool"][-1]
    assert reply.artifact["vfa"]["outcome"] == "denied" and sent == []


def test_middleware_denies_it_in_a_call_holding_a_handle() -> None:
    """A call holding a handle is validated again to tell where it fails (`_fails_only_in`): that too denies."""
    sent: list[Any] = []

    @tool
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ann", "ssn": "078-05-1120"}

    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if len(results) == 1:
            ssn = json.loads(results[0].content)["ssn"]
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "c2", "args": {"to": 5, "body": ssn}}])
        return AIMessage("done")

    fn = privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(send_email))
    mail = StructuredTool.from_function(fn, name="send_email", args_schema=MailArgs)
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt170")
    mw = graphs.GuardMiddleware([flow.guard()], flow=flow, read_only=["get_profile"])
    app = create_agent(ScriptedModel(rule=rule), [get_profile, mail], middleware=[mw], checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("Mail me my profile.")]}, CFG)
    reply = [m for m in out["messages"] if m.type == "tool"][-1]
    assert reply.artifact["vfa"]["outcome"] == "denied" and sent == []
