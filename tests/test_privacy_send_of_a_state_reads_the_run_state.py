"""A `ToolNode` fed a `Send` of a state of the app's choosing hides a result written past the gate.

Scenario. A graph guarded by `guard_graph` with a privacy flow. The app's own "research" node writes a
retrieval result into `messages` (a tool message no guard node wrote) holding the user's SSN; the model
reads it and writes `post(text="ssn 078-05-1120")`. The app fans the turn's calls out to its `ToolNode`
with `Send`, as LangGraph's map-reduce pattern does: `Send("tools", {"messages": [last]})` (a state of its
own holding the turn's message alone), or the `ToolCallWithContext` shape `create_react_agent` uses, with
that state inlined.

Through an edge, or a `Send` of bare calls (`create_agent`'s), the `ToolNode` reads the run's state, the
flow counts the result no gate wrote (every later argument private and untrusted), and the post is denied.
Fed a `Send` of a state, the `ToolNode` hands the gate that state alone (`ToolNode._extract_state`), so the
flow never sees the result: the SSN is published, while the journal's audit (given the messages) reports
the post.

Without a thread id it is worse: the call is keyed by the opening messages of the state it is given
(`thread_key`), so a `Send` of the turn's message alone judges the call under a key where nothing was
observed, and an SSN the gate itself showed the model (through an edge, a turn before) is published too.
An effect node (`effect_nodes=`) given its input by such a `Send` is judged on that input alike.

Why it matters: what the model read is the run's state, not what the app chose to send the tool node;
docs/privacy.md ("Guard an app you already have") says a gated call reads the run's state "as a ToolNode given a
`Send` reads it", and docs/privacy.md's limit covers only a result the graph trimmed before the call. The live
guard and the audit disagree.

Expected: the flow also reads the state of the run the `Send` runs in (LangGraph's state reader in the
task's config), so the post is denied whatever the `Send` carries.

Fixed: a call sent a state (a `Send` to a ToolNode or an effect node) also has the flow read the run's state
(`ToolGate._settle`, `_read_sent`), waiting for the thread's lock as the call does (past `lock_wait_s`:
`ThreadBusy`, denied).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Send

import graphs
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_journal
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


def _fan_out(how: str, last: AIMessage) -> Any:
    if how == "edge":
        return "tools"
    if how == "calls":  # create_agent's: bare calls, the ToolNode reads the run's state
        return [Send("tools", [{**c, "type": "tool_call"}]) for c in last.tool_calls]
    if how == "state":
        return [Send("tools", {"messages": [last]})]
    return [Send("tools", {"__type": "tool_call_with_context", "tool_call": c, "state": {"messages": [last]}})
            for c in last.tool_calls]


def _run(how: str, *, asynchronous: bool = False) -> tuple[list[str], list[Any]]:
    posted: list[str] = []

    @tool
    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    def post(text: str) -> str:
        """Publish a post."""
        posted.append(text)
        return "posted"

    model = ScriptedModel(rule=lambda ms: "done" if ms[-1].type == "tool" and ms[-1].tool_call_id != "r0"
                          else ("post", {"text": f"ssn {SSN}"}))

    def research(state: Any) -> Any:  # the app's own retrieval: a result no guard node wrote
        return {"messages": [AIMessage("", tool_calls=[{"name": "lookup", "args": {}, "id": "r0"}]),
                             ToolMessage(f"the user's SSN is {SSN}", tool_call_id="r0")]}

    def route(state: Any) -> Any:
        last = state["messages"][-1]
        return _fan_out(how, last) if last.tool_calls else END

    b = StateGraph(MessagesState)
    b.add_node("research", research)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([post]))
    b.add_edge(START, "research")
    b.add_edge("research", "agent")
    b.add_conditional_edges("agent", route, ["tools", END])
    b.add_edge("tools", "agent")
    policy = PrivacyPolicy.of(USER)
    flow = PrivacyFlow(policy, secret=b"rt164-send")
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, checkpointer=InMemorySaver())
    start = {"messages": [HumanMessage("Look me up.")]}
    if asynchronous:
        import asyncio

        out = asyncio.run(app.ainvoke(start, CFG))
    else:
        out = app.invoke(start, CFG)
    found = audit_trace(trace_from_journal(flow.journal, "t", messages=out["messages"]), [post], policy, thread_id="t")
    return posted, found


@pytest.mark.parametrize("how", ["edge", "calls"])
def test_control_a_tool_node_reading_the_run_state_denies_the_post(how: str) -> None:
    posted, found = _run(how)
    assert posted == []
    assert found  # the journal's audit reports the post, as the live guard denied it


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("how", ["state", "tool_call_with_context"])
def test_a_send_of_a_state_does_not_hide_a_result_no_gate_wrote(how: str, asynchronous: bool) -> None:
    posted, found = _run(how, asynchronous=asynchronous)
    assert found, "control: the journal's audit reports the post"
    assert posted == [], "the SSN the model read in a result no gate wrote was published"


def test_an_effect_node_sent_a_state_counts_a_result_no_gate_wrote() -> None:
    """The same through an effect node (`guard_graph(effect_nodes=...)`) given the post by a `Send`."""
    posted: list[str] = []
    model = ScriptedModel(rule=lambda ms: f"ssn {SSN}")

    def research(state: Any) -> Any:
        return {"messages": [AIMessage("", tool_calls=[{"name": "lookup", "args": {}, "id": "r0"}]),
                             ToolMessage(f"the user's SSN is {SSN}", tool_call_id="r0")]}

    def publish(state: Any) -> Any:
        posted.append(state["text"])
        return {}

    b = StateGraph(MessagesState)
    b.add_node("research", research)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("publish", publish)
    b.add_edge(START, "research")
    b.add_edge("research", "agent")
    b.add_conditional_edges("agent", lambda state: [Send("publish", {"text": state["messages"][-1].content})],
                            ["publish"])
    b.add_edge("publish", END)
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt164-send")
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, checkpointer=InMemorySaver(),
                             effect_nodes={"publish": lambda state: {"text": state["text"]}})
    app.invoke({"messages": [HumanMessage("Look me up.")]}, CFG)
    assert posted == [], "the SSN the model read in a result no gate wrote was published"


@pytest.mark.parametrize("thread", [True, False])
def test_a_send_of_a_state_without_a_thread_id_does_not_forget_what_the_gate_showed(thread: bool) -> None:
    """Without a thread id a call is keyed by the opening messages of the state it is given (`thread_key`): a
    `Send` holding the turn's message alone gives the call a key under which nothing was observed, so an SSN
    the gate itself showed the model (`get_profile`, through an edge) was published by the next turn's `Send`."""
    import json

    posted: list[str] = []

    @tool
    @privacy_source(private=["ssn"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "ssn": SSN}

    @tool
    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    def post(text: str) -> str:
        """Publish a post."""
        posted.append(text)
        return "posted"

    def rule(ms: list[Any]) -> Any:
        results = [m for m in ms if m.type == "tool"]
        if not results:
            return ("get_profile", {})
        return ("post", {"text": "ssn " + json.loads(results[0].content)["ssn"]}) if len(results) == 1 else "done"

    model = ScriptedModel(rule=rule)

    def route(state: Any) -> Any:
        last = state["messages"][-1]
        if not last.tool_calls:
            return END
        return "tools" if last.tool_calls[0]["name"] == "get_profile" else [Send("tools", {"messages": [last]})]

    b = StateGraph(MessagesState)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([get_profile, post]))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route, ["tools", END])
    b.add_edge("tools", "agent")
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt164-send")
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"])
    app.invoke({"messages": [HumanMessage("Show me my profile.")]}, CFG if thread else None)
    assert posted == [], "the SSN the model was shown was published"
