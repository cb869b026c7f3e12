"""A person's answer counts only in the conversation it was given in, and only when it is one decision:
a thread rewound to before the question, or begun anew under the same id, holds no approval "for this
recipient" it was not given; an answer holding two decisions rejects (red team 49)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from _mail import mail_effect
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import (
    APPROVE_FOR_RECIPIENT,
    REJECT,
    PrivacyFlow,
    PrivacyPolicy,
    privacy_sink,
    privacy_source,
)
from vfa import Agent, EffectJournal
from vfa._escalation import decision_of
from vfa.testing import ScriptedModel

USER, BOB, SSN = "me@home.example", "bob@family.example", "123-45-6789"
CFG = {"configurable": {"thread_id": "t"}}


def _agent(mails: int = 1, rule: Any = None) -> tuple[Any, list[dict[str, Any]]]:
    """Reads a person's SSN in clear, then mails it to bob `mails` times; each call gets a fresh id, as a
    model's do."""
    sent: list[dict[str, Any]] = []
    ids = itertools.count()

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person", handle=False)
    def get_people() -> list:
        """People."""
        return [{"name": "Ann", "ssn": SSN}]

    send_email = mail_effect(sent)

    def scripted(messages: list[Any]) -> Any:
        results = sum(m.type == "tool" for m in messages)
        call = [("get_people", {})] + [("send_email", {"to": [BOB], "body": f"ssn {SSN}"})] * mails
        if results < len(call):
            name, args = call[results]
            return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"c{next(ids)}"}])
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), journal=journal)
    app = Agent(ScriptedModel(rule=rule or scripted), [get_people, send_email], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    return app, sent


def test_a_thread_rewound_to_before_the_question_is_asked_again() -> None:
    app, sent = _agent()
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    before = next(s.config for s in app.get_state_history(CFG)
                  if s.next == ("agent",) and len(s.values["messages"]) == 3)  # after the read, before the mail
    out = app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), CFG)
    assert len(sent) == 1 and not out.get("__interrupt__")
    out = app.invoke(None, before)  # the operator goes back to undo it: the model proposes the mail again
    assert out.get("__interrupt__") and len(sent) == 1


def test_a_thread_begun_anew_under_its_id_is_asked_again() -> None:
    app, sent = _agent()
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), CFG)
    assert len(sent) == 1
    app.checkpointer.delete_thread("t")  # "new chat" on a per-user thread id
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    assert out.get("__interrupt__") and len(sent) == 1


def test_the_same_conversation_keeps_its_approval() -> None:
    """Its SSN written whole with dashes, the pieces between them side by side: no cut, an approvable value."""
    app, sent = _agent(mails=2)
    out = app.invoke({"messages": [HumanMessage("mail bob twice")]}, CFG)
    out = app.invoke(Command(resume={out["__interrupt__"][0].id: APPROVE_FOR_RECIPIENT}), CFG)
    assert len(sent) == 2 and not out.get("__interrupt__")  # the second mail is covered: no question


@pytest.mark.parametrize("answer", [
    {"type": "reject", "message": "no", "decisions": [{"type": "approve"}]},
    {"decisions": [{"type": "approve"}, {"type": "reject"}]},
    {"decision": "approve", "action": "reject"},
    {"decisions": []},
    {"decisions": [{"type": "approve", "decisions": [{"type": "reject"}]}]},
    {"type": ["approve", "reject"]},  # no string: unrecognised (it crashed the node once)
    {"decisions": [{"type": {"approve": True}}]},
])
def test_an_answer_with_two_decisions_or_none_rejects(answer: Any) -> None:
    app, sent = _agent()
    out = app.invoke({"messages": [HumanMessage("mail bob")]}, CFG)
    out = app.invoke(Command(resume={out["__interrupt__"][0].id: answer}), CFG)
    while out.get("__interrupt__"):
        out = app.invoke(Command(resume={out["__interrupt__"][0].id: REJECT}), CFG)
    assert sent == []


def test_two_words_for_one_decision_are_one_decision() -> None:
    assert decision_of({"type": "approve", "decision": "approved"})["type"] == "approve"
    assert decision_of({"type": "reject", "action": "deny"})["type"] == "reject"


@pytest.mark.parametrize("again", ["another call", "the same call"])
def test_an_old_call_id_written_again_by_the_model_holds_no_approval(again: str) -> None:
    """After a new chat under the thread id, the model writes the approved call's id again: on a call of
    its own (the node refuses it: the id was another call's, and a refusal is no call that ran), or on
    the approved call word for word (the node replays it, in a task of the new conversation, not the
    one that asked)."""
    script: list[Any] = []

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
    app.checkpointer.delete_thread("t")
    written = {"name": "get_people", "args": {}} if again == "another call" else mail
    script[:] = [AIMessage("", tool_calls=[{"name": "get_people", "args": {}, "id": "c7"}, {**written, "id": "c1"}]),
                 AIMessage("", tool_calls=[{**mail, "id": "c8"}])]
    out = app.invoke({"messages": [HumanMessage("hello")]}, CFG)
    assert out.get("__interrupt__") and len(sent) == 1
