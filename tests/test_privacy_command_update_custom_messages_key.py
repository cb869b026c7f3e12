"""A tool's Command that writes its tool message under the app's own messages key lands as it does under
"messages", under a privacy flow too.

An app keeps its conversation under `chat` (`ToolNode(..., messages_key="chat")`, guarded with
`guard_graph(..., messages_key="chat")`). A tool returns `Command(update={"notes": text, "chat":
[ToolMessage(...)]})`: its tool message and the model's own argument. What must hold, as under
"messages": the note is written into the state, the model is shown the tool message as the flow labelled
it, and a replay of the turn (after a person approved a later call) writes the note again. Before, the gate
looked for the tool message under "messages" only, so the Command was taken for one writing more than its
message: the note was dropped and the model shown the flow's text of the whole Command.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph, add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import Command
from typing_extensions import NotRequired, TypedDict

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Escalate, guard
from vfa.testing import ScriptedModel


class State(TypedDict):
    chat: Annotated[list, add_messages]
    notes: NotRequired[str]


@tool
@privacy_source()
def note(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Keep a note."""
    return Command(update={"notes": text, "chat": [ToolMessage("noted", tool_call_id=tool_call_id)]})


@tool
@privacy_sink()
@privacy_source()
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    return f"paid {amount} to {to}"


@guard
def confirm(p: Any, c: Any) -> Any:
    return Escalate(question="pay?") if p.tool == "pay" else ALLOW


def _app(calls: list[Any]) -> Any:
    model = ScriptedModel([calls, "ok"])
    b = StateGraph(State)
    b.add_node("agent", lambda state: {"chat": [model.invoke(state["chat"])]})
    b.add_node("tools", ToolNode([note, pay], messages_key="chat"))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", lambda state: tools_condition(state, messages_key="chat"))
    b.add_edge("tools", "agent")
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"custom-key-notes")
    return graphs.guard_graph(b, [flow.guard(), confirm], flow=flow, checkpointer=InMemorySaver(),
                              messages_key="chat")


CFG = {"configurable": {"thread_id": "t"}}


def _tool_texts(out: dict) -> list[str]:
    return [m.content for m in out["chat"] if isinstance(m, ToolMessage)]


def test_the_note_and_its_message_land_under_the_apps_key():
    out = _app([("note", {"text": "hi"})]).invoke({"chat": [("user", "note hi")]}, CFG)
    assert out.get("notes") == "hi", out.get("notes")
    assert _tool_texts(out) == ["noted"]


def test_the_note_is_written_again_when_its_turn_is_replayed():
    app = _app([("note", {"text": "hi"}), ("pay", {"to": "bob", "amount": 5})])
    assert "__interrupt__" in app.invoke({"chat": [("user", "note hi and pay bob 5")]}, CFG)
    out = app.invoke(Command(resume={"type": "approve"}), CFG)
    assert _tool_texts(out) == ["noted", "paid 5 to bob"]
    assert out.get("notes") == "hi", out.get("notes")
