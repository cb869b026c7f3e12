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
"""

from __future__ import annotations

from typing import Annotated, Any

from _tool_loop import model_node, tool_loop
from langchain_core.messages import ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import MessagesState
from langgraph.prebuilt import ToolNode
from langgraph.types import Command
from typing_extensions import NotRequired

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Escalate, guard
from vfa.testing import ScriptedModel


class State(MessagesState):
    notes: NotRequired[str]


@tool
@privacy_source()
def note(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Keep a note."""
    return Command(update={"notes": text, "messages": [ToolMessage("noted", tool_call_id=tool_call_id)]})


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
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt108c")
    return graphs.guard_graph(tool_loop(model_node(model), ToolNode([note, pay]), State), [flow.guard(), confirm],
                              flow=flow, checkpointer=InMemorySaver())


CFG = {"configurable": {"thread_id": "t"}}


def test_control_the_note_is_kept_under_a_flow_in_a_turn_with_no_question():
    out = _app([("note", {"text": "hi"})]).invoke({"messages": [("user", "note hi")]}, CFG)
    assert out["notes"] == "hi"


def test_the_note_is_kept_when_a_later_call_of_its_turn_asked_a_person():
    app = _app([("note", {"text": "hi"}), ("pay", {"to": "bob", "amount": 5})])
    assert "__interrupt__" in app.invoke({"messages": [("user", "note hi and pay bob 5")]}, CFG)
    out = app.invoke(Command(resume={"type": "approve"}), CFG)
    assert [m.content for m in out["messages"] if m.type == "tool"] == ["noted", "paid 5 to bob"]
    assert out.get("notes") == "hi", out.get("notes")  # lost on the replay
