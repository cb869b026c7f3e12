"""Red team 108: under a privacy flow, a Command kept with its state update (the model's own argument) loses the update when its node is replayed.

Attack / scenario (honest run): a retrofitted ReAct graph (`guard_graph`, a privacy flow, and a guard
that asks a person about `pay`). One model turn calls `note(text="hi")`, whose tool returns
`Command(update={"notes": text, "messages": [ToolMessage("noted")]})` (today's change keeps such an
update: "notes" holds the call's own argument as the model wrote it), then `pay`, which is asked about.
The guarded ToolNode runs the turn's calls in order and stops at the question; on the person's approval
LangGraph replays the node, and the committed `note` is answered from the journal.

Expected: as when it ran in a turn with no question (and as without a flow, where "a retrofitted tool's
`Command` is recorded whole, so its state update and `goto` land again"), the note is in the state
after the approval: `out["notes"] == "hi"`.

Actual: the journal kept only the Command's tool message (`_record` of `_said`), and `ToolGate.settle`
replays a Command only without a flow, so the replayed call writes the flow's text alone and "notes"
is never written.

Fixed: the gate journals the rest of such a Command's update (the model's own values, as JSON) under
`<call id>#kept` when the tool runs, and a replay under a flow writes it again beside the flow's text.

Where: `graphs/_gate.py` `_record` (a Command `_said` keeps is recorded as its tool message only) and
`ToolGate.settle` (`_replayed_command` only when `self.node.flow is None`).

The same holds for an app that keeps its conversation under its own key (`ToolNode(..., messages_key="chat")`,
`guard_graph(..., messages_key="chat")`), whose tool writes its message under that key: before, the gate
looked for the tool message under "messages" only, took the Command for one writing more than its message,
dropped the note and showed the model the flow's text of the whole Command. Fixed: the gate reads and writes
a Command's tool message under its `messages_key`.
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import MessagesState, add_messages
from langgraph.prebuilt import ToolNode
from langgraph.types import Command
from typing_extensions import NotRequired, TypedDict

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Escalate, guard
from vfa.testing import ScriptedModel


class State(MessagesState):
    notes: NotRequired[str]


class ChatState(TypedDict):
    chat: Annotated[list, add_messages]
    notes: NotRequired[str]


def _note(key: str) -> Any:
    @tool
    @privacy_source()
    def note(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
        """Keep a note."""
        return Command(update={"notes": text, key: [ToolMessage("noted", tool_call_id=tool_call_id)]})

    return note


@tool
@privacy_sink()
@privacy_source()
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    return f"paid {amount} to {to}"


@guard
def confirm(p: Any, c: Any) -> Any:
    return Escalate(question="pay?") if p.tool == "pay" else ALLOW


def _app(calls: list[Any], key: str = "messages") -> Any:
    model = ScriptedModel([calls, "ok"])
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt108c")
    tools = ToolNode([_note(key), pay], messages_key=key)
    loop = tool_loop(model_node(model, key), tools, State if key == "messages" else ChatState, key=key)
    return graphs.guard_graph(loop, [flow.guard(), confirm], flow=flow, checkpointer=InMemorySaver(),
                              messages_key=key)


CFG = {"configurable": {"thread_id": "t"}}
KEYS = pytest.mark.parametrize("key", ["messages", "chat"])


@KEYS
def test_control_the_note_is_kept_under_a_flow_in_a_turn_with_no_question(key):
    out = _app([("note", {"text": "hi"})], key).invoke({key: [("user", "note hi")]}, CFG)
    assert out.get("notes") == "hi", out.get("notes")
    assert [m.content for m in out[key] if m.type == "tool"] == ["noted"]


@KEYS
def test_the_note_is_kept_when_a_later_call_of_its_turn_asked_a_person(key):
    app = _app([("note", {"text": "hi"}), ("pay", {"to": "bob", "amount": 5})], key)
    assert "__interrupt__" in app.invoke({key: [("user", "note hi and pay bob 5")]}, CFG)
    out = app.invoke(Command(resume={"type": "approve"}), CFG)
    assert [m.content for m in out[key] if m.type == "tool"] == ["noted", "paid 5 to bob"]
    assert out.get("notes") == "hi", out.get("notes")  # lost on the replay
