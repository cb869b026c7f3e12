"""Red team 69: an answer a person gave to a tool's own `interrupt()` answers the privacy guard's question
about the next call of the turn, which no person was shown.

A guard node replays a turn's calls in one LangGraph task, and LangGraph hands a task's answers out by
place. A paused tool runs again on resume to receive its answer (`GuardNode._decide(restart=True)` then
`_commit`); when it fails before calling `interrupt()` again (the world changed while it waited: the item
sold out), nothing takes its answer, so the next call's first question gets it (`Questions.ask` ->
`_interrupt`): the privacy question about mailing an SSN to an outsider is "approved" by the person's
"approve" of the booking, and the SSN is sent."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.types import Command, interrupt

from guards import privacy_sink, privacy_source
from vfa import effect

from _asking import EVE, SSN, asking_agent, people_and_mail



@pytest.mark.parametrize("by_id", [True, False], ids=["answer-by-id", "plain-answer"])
def test_a_tool_s_answer_never_answers_the_privacy_question_of_the_next_call(by_id: bool) -> None:
    sent: list[Any] = []
    stock = {"seats": 1}

    @privacy_sink(internal=["item"])
    @privacy_source()
    @effect
    def book(item: str) -> str:
        """Book an item, once the person confirms."""
        if stock["seats"] == 0:
            raise RuntimeError("sold out")
        answer = interrupt({"question": f"book {item}?", "options": ["approve", "reject"]})
        return f"booked: {answer}"

    turns = [AIMessage("", tool_calls=[{"name": "get_people", "args": {}, "id": "c0"}]),
             AIMessage("", tool_calls=[{"name": "book", "args": {"item": "seat"}, "id": "c1"},
                                       {"name": "send_email", "args": {"to": [EVE], "body": f"ssn {SSN}"}, "id": "c2"}])]

    app = asking_agent(turns, [*people_and_mail(sent), book])
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("book me a seat")]}, cfg)
    (pause,) = out["__interrupt__"]
    assert pause.value["question"] == "book seat?"  # the tool's own question: the one the person sees
    stock["seats"] = 0  # someone else took the last seat while the person read the question
    out = app.invoke(Command(resume={pause.id: {"type": "approve"}} if by_id else {"type": "approve"}), cfg)
    # the privacy question about c2 must be put to a person; it must not take the booking's answer
    assert sent == [], "the SSN was mailed to eve on an answer given to another question"
    questions = [i.value for i in out.get("__interrupt__", [])]
    assert questions and questions[0].get("guard") == "privacy"
