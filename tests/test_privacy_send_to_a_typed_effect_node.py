"""An effect node that takes a `Send` under an input schema of its own never has the flow read
the run's state, so a result written past the gate is not counted, live or in the journal's audit.

LangGraph's map-reduce pattern sends each piece to a node typed by a schema of its own
(`def publish(state: Post)`, `Post` a TypedDict of the piece). The gate reads the state of the run a `Send` task
runs in through LangGraph's state reader for that task (`_sent_state`), which reads the node's *input* channels:
for such a node only `text`, never the conversation. So the flow judges the node's run without the run's
messages: a result no gate wrote that the model read (here an app's retrieval node writes the user's SSN into
`messages`) does not blind the thread, and the SSN is published; the same node without the annotation is denied.
Its proposal is journaled without the user message it answers (`turn`), and the flow journaled no `unobserved`
entry, so the journal's audit (given the messages) checks it before that result and reports nothing either.

docs/privacy.md ("Guard an app you already have"): "a `ToolNode` or an effect node a `Send` hands a state of the app's own
... has the flow read the run's state as well, and is judged in the run's conversation".

Must hold: whether or not the Send's target declares an input schema, the post is denied and the journal's audit
reports it.

Fixed: when a Send task's state holds no messages, the gate reads the conversation channel through LangGraph's
own reader for the task.
"""

from __future__ import annotations

from typing import Any

import pytest
from _audit_trace import found, live_denials
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict

import graphs
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal
from vfa import EffectJournal
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"
SECRET = b"send"


class Post(TypedDict):
    text: str


def _run(typed: bool) -> tuple[list[str], list[Any], EffectJournal]:
    posted: list[str] = []
    model = ScriptedModel(rule=lambda ms: f"ssn {SSN}")

    def research(state: Any) -> Any:  # the app's own retrieval: a result no guard node wrote
        return {"messages": [AIMessage("", tool_calls=[{"name": "lookup", "args": {}, "id": "r0"}]),
                             ToolMessage(f"the user's SSN is {SSN}", tool_call_id="r0")]}

    def publish_typed(state: Post) -> Any:
        posted.append(state["text"])
        return {}

    def publish_plain(state):  # type: ignore[no-untyped-def]
        posted.append(state["text"])
        return {}

    b = StateGraph(MessagesState)
    b.add_node("research", research)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("publish", publish_typed if typed else publish_plain)
    b.add_edge(START, "research")
    b.add_edge("research", "agent")
    b.add_conditional_edges("agent", lambda state: [Send("publish", {"text": state["messages"][-1].content})],
                            ["publish"])
    b.add_edge("publish", END)
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=SECRET, journal=journal)
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, journal=journal, checkpointer=InMemorySaver(),
                             effect_nodes={"publish": lambda state: {"text": state["text"]}})
    out = app.invoke({"messages": [HumanMessage("Look me up.")]}, {"configurable": {"thread_id": "t"}})
    return posted, out["messages"], journal


@pytest.mark.parametrize("typed", [False, True], ids=["plain", "input-schema"])
def test_a_send_to_an_effect_node_counts_a_result_no_gate_wrote(typed: bool) -> None:
    posted, _messages, journal = _run(typed)
    assert posted == [], "the SSN the model read in a result no gate wrote was published"
    assert [rule for _c, rule, _a in live_denials(journal)] == ["confidentiality"]


@pytest.mark.parametrize("typed", [False, True], ids=["plain", "input-schema"])
def test_the_journals_audit_reports_the_post(typed: bool) -> None:
    _posted, messages, journal = _run(typed)
    audited = audit_trace(trace_from_journal(journal, "t", messages=messages), [],
                          flow=PrivacyFlow(PrivacyPolicy.of(USER), secret=SECRET), thread_id="t")
    assert [rule for _c, rule, _a in found(audited)] == ["confidentiality"], [v.message for v in audited]
