"""A graph a LangChain tool runs on the values behind handles streams none of them to the run's streams.

Today's fix for LangGraph's `tools` and `messages` stream modes (36de1e8, `without_graph_streams`) left out the
other way a tool's work reaches the run's streams: a graph it runs (a helper agent, a chain of nodes) is handed
the run's stream through `configurable` (LangGraph's `CONFIG_KEY_STREAM`), and with `subgraphs=True` its
`updates` and `values` go to the caller's stream, holding what the tool was given. A plain function is run
without it (`_without_callbacks` drops the key: "a graph it runs (a helper agent) would stream its state, holding
them, on the run's streams (subgraphs=True)"); a LangChain tool under the `Agent`, `GuardMiddleware` or
`guard_graph` keeps it, so the SSN, which the model and the state hold as a handle, is streamed in clear.

What must hold (docs/privacy.md, "Logs": the graph's streams, updates and values among them, show handles
only): under a flow, no chunk of `stream(..., subgraphs=True)` holds the SSN; the effect gets it. Control: the same
tool as a plain function streams nothing of it.

Fixed: without_graph_streams drops CONFIG_KEY_STREAM from the configurable too.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

from graphs import GuardMiddleware, guard_graph
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"


class _Draft(TypedDict):
    body: str
    text: str


def _helper() -> Any:
    """A helper graph the send tool runs: it writes the mail's text from its body."""
    g = StateGraph(_Draft)
    g.add_node("write", lambda s: {"text": f"Dear me, as asked: {s['body']}"})
    g.add_edge(START, "write")
    g.add_edge("write", END)
    return g.compile()


def _tools(sent: list[str], langchain: bool) -> list[Any]:
    helper = _helper()

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ann", "ssn": SSN}

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail, its text written by a helper graph first."""
        sent.append(helper.invoke({"body": body, "text": ""})["text"])
        return "sent"

    return [tool(get_profile), tool(send_email)] if langchain else [get_profile, send_email]


def _rule(messages: list[Any]) -> Any:
    results = [m for m in messages if m.type == "tool"]
    if not results:
        return ("get_profile", {})
    if len(results) == 1:  # the user's own SSN mailed to the user: allowed, its handle resolved at commit
        return ("send_email", {"to": USER, "body": json.loads(results[0].content)["ssn"]})
    return "done"


def _app(how: str, sent: list[str], langchain: bool = True) -> Any:
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"subgraph-stream")
    tools, model, guards = _tools(sent, langchain), ScriptedModel(rule=_rule), [flow.guard()]
    if how == "agent":
        return Agent(model, tools, guards=guards, flow=flow).compile(checkpointer=InMemorySaver())
    if how == "middleware":
        return create_agent(model, tools, middleware=[GuardMiddleware(guards, flow=flow)], checkpointer=InMemorySaver())
    return guard_graph(create_agent(model, tools, checkpointer=InMemorySaver()), guards, flow=flow)


def _leaked(app: Any, sent: list[str], how: str) -> list[Any]:
    cfg = {"configurable": {"thread_id": f"sub-{how}"}}
    chunks = list(app.stream({"messages": [HumanMessage("mail me my ssn")]}, cfg,
                             stream_mode=["updates", "values"], subgraphs=True))
    assert sent == [f"Dear me, as asked: {SSN}"]  # the effect got the value, as it must
    assert SSN not in repr(app.get_state(cfg).values)  # the state: handles only
    return [(ns, mode, repr(chunk)[:120]) for ns, mode, chunk in chunks if SSN in repr(chunk)]


@pytest.mark.parametrize("how", ["agent", "middleware", "guard_graph"])
def test_a_langchain_tools_helper_graph_streams_no_value_behind_a_handle(how: str) -> None:
    sent: list[str] = []
    leaked = _leaked(_app(how, sent), sent, how)
    assert leaked == [], f"a helper graph of a LangChain tool streamed the SSN the model holds as a handle: {leaked}"


def test_control_a_plain_functions_helper_graph_streams_nothing_of_it() -> None:
    sent: list[str] = []
    assert _leaked(_app("agent", sent, langchain=False), sent, "plain") == []
