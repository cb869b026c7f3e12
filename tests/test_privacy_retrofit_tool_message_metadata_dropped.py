"""A retrofitted tool's own `ToolMessage` keeps nothing the flow did not label.

Scenario: an app guarded after the fact (`guard_graph(..., flow=flow)` over a `StateGraph` with a
`ToolNode`, or `create_agent` with `GuardMiddleware(flow=...)`). Its profile tool answers with a
`ToolMessage` of its own (it takes the call id), the record as JSON in its content, and the raw record in
the message's `additional_kwargs` and `response_metadata` as well (an API client's raw response, say).

What must hold: the flow labels the content, and the model is shown the SSN as a handle; nothing else of
the tool's message may carry the SSN into the state the model, the middlewares, the checkpoints and the
streams read ("The model, the graph's streams ..., its checkpoints ... show handles only", docs/privacy.md,
"Logs"), as the tool's artifact is already replaced by the gate's record (`graphs/_gate.py` `_shown`).

Before: `_shown` copied the tool's message with only its content and artifact replaced, so the SSN stood
in clear in `additional_kwargs` and `response_metadata`: the scripted model read it, and so do the
checkpoints.

Fixed: graphs._gate._shown empties the message's additional_kwargs and response_metadata too.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from _profile_mail import CFG, SSN, USER
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from graphs import GuardMiddleware, guard_graph
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel


@tool
@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def get_profile(tool_call_id: Annotated[str, InjectedToolCallId]) -> dict:
    """The user's profile."""
    record = {"name": "Ann", "ssn": SSN}
    return ToolMessage(json.dumps(record), tool_call_id=tool_call_id,
                       additional_kwargs={"raw": record}, response_metadata={"raw": record})


def _dumped(messages: list[Any]) -> str:
    return json.dumps([m.model_dump() for m in messages], default=str)


def _model(read: list[str]) -> ScriptedModel:
    def rule(messages: list[Any]) -> Any:
        read.append(_dumped(messages))
        return ("get_profile", {}) if not any(m.type == "tool" for m in messages) else "done"
    return ScriptedModel(rule=rule)


def _guard_graph_app(read: list[str]) -> Any:
    model = _model(read).bind_tools([get_profile])
    builder = StateGraph(MessagesState)
    builder.add_node("agent", lambda s: {"messages": [model.invoke(s["messages"])]})
    builder.add_node("tools", ToolNode([get_profile]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"tool-message-metadata")
    return guard_graph(builder.compile(checkpointer=InMemorySaver()), [flow.guard()], flow=flow)


def _middleware_app(read: list[str]) -> Any:
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"tool-message-metadata")
    return create_agent(_model(read), [get_profile], middleware=[GuardMiddleware([flow.guard()], flow=flow)],
                        checkpointer=InMemorySaver())


@pytest.mark.parametrize("build", [_guard_graph_app, _middleware_app], ids=["guard_graph", "middleware"])
def test_the_tools_own_message_fields_hold_no_private_value(build: Any) -> None:
    read: list[str] = []
    app = build(read)
    out = app.invoke({"messages": [HumanMessage("show my profile")]}, CFG)
    result = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert SSN not in str(result.content) and "«ssn:" in str(result.content)  # the content: a handle
    assert SSN not in _dumped([result])  # nor anywhere else in the message the state keeps
    assert len(read) == 2 and SSN not in read[1]  # the model never read it
    assert SSN not in json.dumps(app.get_state(CFG).values["messages"][2].model_dump(), default=str)
