"""A state that holds no messages (a bare tool call sent on its own, a tool run without a state) holds no
approval "for this recipient": nothing tells its branch apart (fail closed) (red team 51)."""

from __future__ import annotations

from langchain_core.messages import HumanMessage
from langgraph.types import Command
from test_privacy_answer_lineage import BOB, CFG, SSN, _agent

from guards import APPROVE_FOR_RECIPIENT


def test_state_without_messages_holds_no_approval() -> None:
    app, sent = _agent()
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), CFG)
    assert len(sent) == 1
    app.checkpointer.delete_thread("t")  # the conversation that held the approved call is gone
    node = app.builder.nodes["tools"].runnable
    call = {"name": "send_email", "args": {"to": [BOB], "body": f"ssn {SSN}"}, "id": "c9", "type": "tool_call"}
    # outside a graph nobody can be asked: the guard asked, as it must, so the call is denied, never approved
    message = node.handle(call, {}, "t")
    assert message.status == "error" and "asks a person" in message.content, message.content
    assert len(sent) == 1
