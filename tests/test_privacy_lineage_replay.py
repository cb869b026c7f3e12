"""After a new chat under the thread id, a model that writes the approved call again word for word (the
node replays it from the journal) brings back no approval: the replay runs in a task of the new
conversation, not the one that asked (red team 51)."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.types import Command
from test_privacy_answer_lineage import BOB, CFG, SSN, _agent

from guards import APPROVE_FOR_RECIPIENT


def test_replayed_old_call_holds_no_approval() -> None:
    script: list[list[Any]] = []

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return script[turn] if turn < len(script) else "done"

    app, sent = _agent(rule=rule)
    mail = {"name": "send_email", "args": {"to": [BOB], "body": f"ssn {SSN}"}}
    script[:] = [AIMessage("", tool_calls=[{"name": "get_people", "args": {}, "id": "c0"}]),
                 AIMessage("", tool_calls=[{**mail, "id": "c1"}])]
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), CFG)
    assert len(sent) == 1
    app.checkpointer.delete_thread("t")  # new chat
    script[:] = [AIMessage("", tool_calls=[{"name": "get_people", "args": {}, "id": "c7"},
                                           {**mail, "id": "c1"}]),  # the old call, verbatim: replayed
                 AIMessage("", tool_calls=[{**mail, "id": "c8"}])]
    out = app.invoke({"messages": [HumanMessage("hello")]}, CFG)
    assert out.get("__interrupt__") and len(sent) == 1, f"sent={len(sent)} unasked"
