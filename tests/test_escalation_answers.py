"""A person's answer reaches only the question it was sent to: an answer re-sent to a question answered
already is refused (`AnswerError`), and an answer given to a question shown again after a crash is
not ignored."""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from test_retrofit_turns import ALICE, MALLORY, _mail_app

from graphs import GuardMiddleware
from vfa import ALLOW, AnswerError, EffectJournal, Escalate, guard
from vfa.testing import ScriptedModel

PAY_BOB = [{"name": "pay", "id": "b", "args": {"to": "bob", "amount": 900}}]


@guard
def confirm(p, c):
    return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?")


@guard
def over_limit(p, c):
    return Escalate(question=f"{p.args['amount']} is over the limit: allow?") if p.args["amount"] > 100 else ALLOW


def _payments(paid: list[int], guards: list[Any], journal: Any = None) -> Any:
    @tool
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    model = ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=PAY_BOB) if not any(m.type == "tool" for m in ms) else "done")
    mw = GuardMiddleware(guards, journal=journal)
    return create_agent(model, [pay], middleware=[mw], checkpointer=InMemorySaver()), mw


def _questions(out: dict[str, Any]) -> list[str]:
    return [i.value["question"] for i in out.get("__interrupt__", [])]


def test_an_answer_re_sent_to_the_first_question_does_not_answer_the_second():
    paid: list[int] = []
    app, _ = _payments(paid, [confirm, over_limit])
    cfg = {"configurable": {"thread_id": "t"}}
    first = app.invoke({"messages": [("user", "pay bob")]}, cfg)["__interrupt__"][0]
    out = app.invoke(Command(resume={first.id: {"type": "approve"}}), cfg)
    assert _questions(out) == ["900 is over the limit: allow?"]
    second = out["__interrupt__"][0]
    with pytest.raises(AnswerError, match=f"sent to interrupt {first.id}.*pending is interrupt {second.id}"):
        app.invoke(Command(resume={first.id: {"type": "approve"}}), cfg)  # a retry, or a client re-sending
    assert paid == []
    out = app.invoke(None, cfg)  # nothing was saved: the limit question is still the one pending
    assert _questions(out) == ["900 is over the limit: allow?"] and out["__interrupt__"][0].id == second.id
    app.invoke(Command(resume={second.id: {"type": "approve"}}), cfg)  # answered by its own id
    assert paid == [900]


def test_an_approval_re_sent_about_one_call_of_a_turn_does_not_approve_the_next():
    sent: list[str] = []
    app = _mail_app(sent, slow_first=False)
    cfg = {"configurable": {"thread_id": "t"}}
    about_alice = app.invoke({"messages": [HumanMessage(f"Send my phone number to {ALICE}")]}, cfg)["__interrupt__"][0]
    out = app.invoke(Command(resume={about_alice.id: {"type": "approve"}}), cfg)
    about_mallory = out["__interrupt__"][0]
    assert about_mallory.value["args"]["to"] == MALLORY
    with pytest.raises(AnswerError):
        app.invoke(Command(resume={about_alice.id: {"type": "approve"}}), cfg)
    app.invoke(Command(resume={about_mallory.id: {"type": "reject"}}), cfg)
    assert sent == [ALICE]


class PowerCut(BaseException):
    """The process dies: no handler catches it, and LangGraph keeps none of the task's writes."""


class DiesAfter(EffectJournal):
    """A journal whose process dies right after it first journals an entry of `kind`."""

    def __init__(self, kind: str) -> None:
        super().__init__(":memory:")
        self.kind, self.armed = kind, True

    def append(self, entries):
        out = super().append(entries)
        if self.armed and any(e[3] == self.kind for e in entries):
            self.armed = False
            raise PowerCut
        return out


@pytest.mark.parametrize("again", ["reject", "approve"])
def test_an_answer_given_to_a_question_shown_again_after_a_crash_stands(again: str):
    # the answer was sent by id (LangGraph does not save it before the task ends) and journaled, then the
    # process died: LangGraph shows the question again, and what the person answers now is what counts
    paid: list[int] = []
    app, mw = _payments(paid, [confirm], journal=DiesAfter("approved"))
    cfg = {"configurable": {"thread_id": "t"}}
    asked = app.invoke({"messages": [("user", "pay bob")]}, cfg)["__interrupt__"][0]
    with pytest.raises(PowerCut):
        app.invoke(Command(resume={asked.id: {"type": "approve"}}), cfg)
    out = app.invoke(None, cfg)  # the restart
    assert _questions(out) == ["pay 900 to bob?"]
    app.invoke(Command(resume={out["__interrupt__"][0].id: {"type": again}}), cfg)
    answers = [e.kind for e in mw.journal.entries("t", call_id="b") if e.kind in ("approved", "rejected")]
    assert answers == ["approved", "rejected"] if again == "reject" else answers == ["approved"]
    assert paid == ([] if again == "reject" else [900])


@pytest.mark.parametrize("then", [None, "rejected"])
def test_an_approval_for_a_recipient_answered_again_with_a_reject_covers_no_later_call(then: str | None):
    from guards import APPROVE_FOR_RECIPIENT, PrivacyFlow, PrivacyPolicy

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example", on_violation="ask"), journal=journal)
    guard_ = flow.guard()
    place = {"task": "x", "ask": 0}
    question = {"guard": guard_.name, "kind": "escalate", **place, "evidence": {
        "tool": "send_email", "values": {"bob@b.example": ["d1"]},
        "violations": [{"rule": "confidentiality", "origin": ["profile.ssn"], "recipients": ["bob@b.example"]}]}}
    entries = [("t", "c1", "send_email", "escalated", question),
               ("t", "c1", "send_email", "approved", {**APPROVE_FOR_RECIPIENT, **place})]
    if then:  # the same question, shown again after a crash, answered with a reject
        entries.append(("t", "c1", "send_email", then, {"type": "reject", **place}))
    journal.append(entries)
    covered = guard_._approved("t", call_id="c2")
    assert covered == ({} if then else {("send_email", "bob@b.example"): (
        (frozenset({"profile.ssn"}), frozenset({"d1"}), {"call": "c1", "task": "x", "ask": 0}),)})


def approved_then_cut(app: Any, prompt: Any, answer: Any = None) -> tuple[Any, Any]:
    """Ask the first question, answer it (approve) by id, let the power go, restart: the question asked
    and the one LangGraph shows again (it had not saved the answer)."""
    cfg = {"configurable": {"thread_id": "t"}}
    asked = app.invoke({"messages": [prompt]}, cfg)["__interrupt__"][0]
    with pytest.raises(PowerCut):
        app.invoke(Command(resume={asked.id: answer or {"type": "approve"}}), cfg)
    return asked, app.invoke(None, cfg)["__interrupt__"][0]
