"""An `Agent` judges a bare `InjectedToolArg` as the value its tool is given.

The README ("Guard an app you already have") says an argument a bare `InjectedToolArg` hides from the
model "is no injection (a ToolNode strips it): the guards judge what it holds as any argument, and a sink
may name it", and that "vfa's own `Agent` runs such tools as a `ToolNode` does". A `create_agent` app
with `GuardMiddleware` does: `send_email(body, to: Annotated[str, InjectedToolArg] = BOSS)`, its sink
disclosing `body` to `to`, is denied when the model mails the user's SSN, since the tool mails BOSS
(the default), who may not read it.

An `Agent` (once its tools were given their injected arguments) judged the call without `to`:
the guards were shown `{"body": ...}` alone, the privacy guard saw no recipient, and the SSN went to
BOSS, committed; whatever the model wrote under `to` was dropped before the guards and the tool alike.
Before that commit, the lint refused such a sink (`PolicyError`: unknown argument `to`).

What must hold: in an `Agent`, the guards are shown the value the tool is given for a bare
`InjectedToolArg` (its default: the model's own value is dropped, as a ToolNode strips it), so the
privacy guard denies mailing the SSN to BOSS, whether or not the model wrote `to`; the model is not
shown the argument; and a recipient the user may read stays allowed (the control).

Fixed: the Agent's argument model holds each bare `InjectedToolArg` with its default, hidden from the
model's schema, what the model writes there dropped (`vfa._lc_tools._given_by_default`); a gate, whose tools
get what is written there, overrides that by name (`GIVEN_BY_DEFAULT`) and judges what is written.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolArg, tool
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, EffectJournal, guard
from vfa.testing import ScriptedModel

ME, BOSS = "me@home.example", "boss@corp.example"
SSN = "078-05-1120"


def _run(default: str, written: dict[str, Any]) -> tuple[ToolMessage, list[tuple[str, str]], list[dict[str, Any]]]:
    sent: list[tuple[str, str]] = []
    seen: list[dict[str, Any]] = []

    @tool
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    def send_email(body: str, to: Annotated[str, InjectedToolArg] = default) -> str:
        """Send a mail to the configured address."""
        sent.append((to, body))
        return "sent"

    @guard
    def spy(p, c):
        if p.tool == "send_email":
            seen.append(dict(p.args))
        return ALLOW

    def rule(messages):
        turns = sum(isinstance(m, AIMessage) for m in messages)
        if turns == 0:
            return ("get_profile", {})
        if turns == 1:
            return ("send_email", {"body": json.loads(messages[-1].content)["ssn"], **written})
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"bare-injected-key", journal=journal)
    app = Agent(ScriptedModel(rule=rule), [get_profile, send_email], guards=[flow.guard(), spy], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("mail me my ssn")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1], sent, seen


@pytest.mark.parametrize("written", [{}, {"to": ME}], ids=["omitted", "model-wrote-the-user"])
def test_the_ssn_is_not_mailed_to_a_default_recipient_who_may_not_read_it(written):
    message, sent, _ = _run(BOSS, written)
    assert sent == [], f"the SSN was mailed to {sent[0][0]}, whom the privacy guard never saw"
    assert message.artifact["vfa"]["outcome"] == "denied" and "privacy" in message.content


def test_the_guards_are_shown_the_value_the_tool_is_given():
    message, sent, seen = _run(ME, {"to": "eve@evil.example"})
    assert sent == [(ME, SSN)] and message.artifact["vfa"]["outcome"] == "ran"
    assert seen == [{"body": SSN, "to": ME}]  # the default the tool got; the model's "eve" dropped


def test_the_model_is_not_shown_the_hidden_argument():
    from vfa._tools import ToolSpec

    @tool
    def send_email(body: str, to: Annotated[str, InjectedToolArg] = BOSS) -> str:
        """Send a mail to the configured address."""
        return "sent"

    schema = ToolSpec.of(send_email).json_schema()["function"]["parameters"]
    assert set(schema["properties"]) == {"body"}
