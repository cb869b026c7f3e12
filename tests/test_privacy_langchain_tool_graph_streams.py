"""LangGraph's `tools` and `messages` stream modes carry no value behind a handle from a LangChain tool's run.

Found by a reviewer: LangGraph 1.2's `stream_mode="tools"` (`tool-started` with the tool's input, `tool-finished`
with its output) is fed by LangChain's tool callbacks, so a gated LangChain tool, run on the values behind
handles, put the profile's raw record (the SSN in clear) on it, under the `Agent`, `GuardMiddleware` and
`guard_graph` alike; a writing model such a tool runs put its reply, holding the value, on `messages`. A chat UI
streams both beside the model's own messages, which show handles (docs/privacy.md, "Logs").

What must hold: under a flow, no chunk of either mode holds the SSN, while the effect gets the value and the
state shows handles only. Control: without a flow the `tools` stream reports the calls (the mode exists).

Fixed: under a flow a LangChain tool runs without LangGraph's stream handlers (`without_graph_streams`): its
run reports to neither mode, as a plain function's never does; the app's own callbacks stay (a stated limit).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware, guard_graph
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"


def _tools(sent: list[str]) -> list[Any]:
    writer = ScriptedModel(rule=lambda ms: f"Dear me, as asked: {ms[-1].content}")

    @tool
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ann", "ssn": SSN}

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail, its text polished by a writing model first."""
        sent.append(writer.invoke([HumanMessage(body)]).content)
        return "sent"

    return [get_profile, send_email]


def _rule(messages: list[Any]) -> Any:
    results = [m for m in messages if m.type == "tool"]
    if not results:
        return ("get_profile", {})
    if len(results) == 1:  # the user's own SSN mailed to the user: allowed, its handle resolved at commit
        return ("send_email", {"to": USER, "body": json.loads(results[0].content)["ssn"]})
    return "done"


def _app(how: str, sent: list[str], flow: PrivacyFlow | None) -> Any:
    tools, model = _tools(sent), ScriptedModel(rule=_rule)
    guards = [flow.guard()] if flow is not None else []
    if how == "agent":
        return Agent(model, tools, guards=guards, flow=flow).compile(checkpointer=InMemorySaver())
    if how == "middleware":
        return create_agent(model, tools, middleware=[GuardMiddleware(guards, flow=flow)], checkpointer=InMemorySaver())
    return guard_graph(create_agent(model, tools, checkpointer=InMemorySaver()), guards, flow=flow)


@pytest.mark.parametrize("how", ["agent", "middleware", "guard_graph"])
def test_the_tools_and_messages_streams_hold_no_value_behind_a_handle(how: str) -> None:
    sent: list[str] = []
    app = _app(how, sent, PrivacyFlow(PrivacyPolicy.of(USER), secret=b"graph-streams"))
    cfg = {"configurable": {"thread_id": f"streams-{how}"}}
    chunks = list(app.stream({"messages": [HumanMessage("mail me my ssn")]}, cfg, stream_mode=["tools", "messages"]))
    assert sent == [f"Dear me, as asked: {SSN}"]  # the effect got the value, as it must
    assert SSN not in repr(app.get_state(cfg).values)  # the state: handles only
    leaked = [(mode, repr(chunk)[:120]) for mode, chunk in chunks if SSN in repr(chunk)]
    assert leaked == [], f"a graph stream shows the SSN the model holds as a handle: {leaked}"


@pytest.mark.parametrize("how", ["middleware", "guard_graph"])
def test_without_a_flow_the_tools_stream_reports_the_calls(how: str) -> None:
    sent: list[str] = []
    app = _app(how, sent, None)
    chunks = list(app.stream({"messages": [HumanMessage("mail me my ssn")]}, {"configurable": {"thread_id": "c"}},
                             stream_mode="tools"))
    assert {c["tool_name"] for c in chunks if c["event"] == "tool-started"} == {"get_profile", "send_email"}
