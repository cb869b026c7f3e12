"""`astream_events` (and every LangChain callback handler: a tracer, a console log) shows the values the
privacy flow keeps behind handles when the tools are LangChain tools: a stated limit.

The model is shown a profile's SSN as a handle and passes the handle to a mail tool; the value is
swapped in only at commit. But a LangChain tool is run with the run's callbacks (`tool.invoke(args)`
inside the graph's config), so `astream_events`, which apps forward to a UI or a log, carries
`on_tool_start` with the resolved arguments (`{"body": "078-05-1120"}`), `on_tool_end` with the tool's
raw output, and for a LangChain source tool the raw record before the flow hid its fields. The graph's
own streams (`stream_mode` updates, values, messages, debug, tasks, checkpoints), the checkpoints and
the OTel spans show handles only. Stripping the callbacks would cut the tool's runs out of the app's
LangChain tracing, so docs/privacy.md states it ("Logs"): forward those events only where the user's
private data may go, or give the agent plain functions, whose runs raise no callback events (the
second test).
"""

from __future__ import annotations

import asyncio
import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import as_effect
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"
SSN = "078-05-1120"


@tool("get_profile")
def _profile() -> dict:
    """The user's profile."""
    return {"name": "Emma", "ssn": SSN}


@tool("send_email")
def _mail(to: str, body: str) -> str:
    """Send a mail."""
    return f"sent to {to}"


def _rule(messages):
    turns = sum(isinstance(m, AIMessage) for m in messages)
    if turns == 0:
        return ("get_profile", {})
    if turns == 1:
        return ("send_email", {"to": ME, "body": json.loads(messages[-1].content)["ssn"]})
    return "done"


def _events(get_profile, send_email):
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), journal=journal)
    app = Agent(ScriptedModel(rule=_rule), [get_profile, send_email], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}

    async def run():
        return [e async for e in app.astream_events({"messages": [HumanMessage("mail me my ssn")]}, cfg, version="v2")]

    events = asyncio.run(run())
    shown = app.get_state(cfg).values["messages"]
    assert "«ssn:" in shown[2].content and SSN not in repr(shown), "the model was not shown a handle"
    assert shown[4].artifact["vfa"]["outcome"] == "committed"
    return events


def _leaked(events):
    return [(e["event"], e["name"]) for e in events if SSN in repr(e.get("data")) or "078051120" in repr(e.get("data"))]


@pytest.mark.xfail(strict=True, reason="stated limit: LangChain hands a LangChain tool's input and output to the run's callbacks")
def test_astream_events_hold_no_value_behind_a_handle():
    get_profile = privacy_sink()(privacy_source(private=["ssn"], kind="profile")(_profile))
    send_email = privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(as_effect(_mail)))
    leaked = _leaked(_events(get_profile, send_email))
    assert leaked == [], f"astream_events show the SSN the model holds as a handle: {leaked}"


def test_plain_function_tools_raise_no_event_holding_a_value_behind_a_handle():
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    sent: list[str] = []

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @effect
    def send_email(to: str, body: str) -> str:
        """Send a mail."""
        sent.append(body)
        return f"sent to {to}"

    events = _events(get_profile, send_email)
    assert sent == [SSN]  # the effect got the value; no event showed it
    assert {e["event"] for e in events} >= {"on_chat_model_end", "on_chain_end"}
    assert _leaked(events) == []
