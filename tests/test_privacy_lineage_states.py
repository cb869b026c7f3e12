"""An approval "for this recipient" covers the next mail of the same conversation whatever the graph's
state is: a `MessagesState` or a pydantic model, whose messages the guard reads as attributes (the
guard node hands a state that is no mapping on as {"state": obj}) (red team 50)."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import Command
from pydantic import BaseModel

import graphs
from guards import (
    APPROVE_FOR_RECIPIENT,
    PrivacyFlow,
    PrivacyPolicy,
    privacy_sink,
    privacy_source,
)
from vfa.testing import ScriptedModel

USER, BOB, SSN = "me@home.example", "bob@family.example", "123-45-6789"


class PState(BaseModel):
    messages: Annotated[list[AnyMessage], add_messages]


def _app(state_type: Any, sent: list[str]) -> Any:
    @tool
    @privacy_source(private=["ssn"], kind="person")
    def get_person() -> dict:
        """A person."""
        return {"name": "Ann", "ssn": SSN}

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append(body)
        return "sent"

    n = iter(range(100))

    def rule(messages: list[Any]) -> Any:
        results = sum(m.type == "tool" for m in messages)
        if results == 0:
            return AIMessage("", tool_calls=[{"name": "get_person", "args": {}, "id": f"c{next(n)}"}])
        if results < 3:
            return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": BOB, "body": f"ssn {SSN}"},
                                              "id": f"c{next(n)}"}])
        return "done"

    model = ScriptedModel(rule=rule)
    b = StateGraph(state_type)
    msgs = (lambda s: s["messages"]) if state_type is MessagesState else (lambda s: s.messages)
    b.add_node("agent", lambda s: {"messages": [model.invoke(msgs(s))]})
    b.add_node("tools", ToolNode([get_person, send_email]))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"))
    return graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_person"], checkpointer=InMemorySaver())


@pytest.mark.parametrize("state_type", [MessagesState, PState])
def test_an_approval_for_the_recipient_covers_the_second_mail(state_type: Any) -> None:
    sent: list[str] = []
    app = _app(state_type, sent)
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("mail bob Ann's ssn twice")]}, cfg)
    assert out.get("__interrupt__")
    out = app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), cfg)
    assert len(sent) == 2 and not out.get("__interrupt__"), "asked again in the same conversation"
