"""A call whose effect began (committed, or cut off mid-effect) keeps its record when its question is
shown again after a crash and rejected (red teams 42, 43)."""

from __future__ import annotations

from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from test_escalation_answers import DiesAfter, PowerCut, approved_then_cut
from test_privacy_echo import _react_graph

import graphs
from vfa import EffectJournal, Escalate, guard


@guard
def confirm(p, c):
    return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?")


def test_a_committed_payment_is_never_reported_rejected():
    paid: list[int] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    calls = [{"name": "pay", "id": "a", "args": {"to": "bob", "amount": 900}},
             {"name": "pay", "id": "b", "args": {"to": "carol", "amount": 50}}]
    rule = lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done"
    journal = DiesAfter("committed")
    app = graphs.guard_graph(_react_graph(rule, [pay]), [confirm], journal=journal, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    _asked, again = approved_then_cut(app, ("user", "pay bob and carol"))  # bob is paid, then the power goes
    assert paid == [900]
    assert again.value["args"]["to"] == "bob"
    out = app.invoke(Command(resume={again.id: {"type": "reject"}}), cfg)  # too late: bob was paid
    about_carol = out["__interrupt__"][0]
    out = app.invoke(Command(resume={about_carol.id: {"type": "approve"}}), cfg)
    assert paid == [900, 50]
    said = {m.tool_call_id: m.content for m in out["messages"] if m.type == "tool"}
    assert said["a"] == "paid"  # the model (and the user) must hear that bob WAS paid, not "rejected"
    assert [e.kind for e in journal.entries("t", call_id="a")][-1] == "committed"


def test_a_payment_cut_off_mid_effect_is_not_reported_rejected():
    paid: list[int] = []
    armed = [True]

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        if armed[0]:
            armed[0] = False
            raise PowerCut  # the money moved, then the power went before the result was journaled
        return "paid"

    calls = [{"name": "pay", "id": "a", "args": {"to": "bob", "amount": 900}}]
    rule = lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done"
    journal = EffectJournal()
    app = graphs.guard_graph(_react_graph(rule, [pay]), [confirm], journal=journal, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    _asked, again = approved_then_cut(app, ("user", "pay bob"))
    assert paid == [900]
    out = app.invoke(Command(resume={again.id: {"type": "reject"}}), cfg)
    said = {m.tool_call_id: m.content for m in out.get("messages", []) if m.type == "tool"}
    kinds = [e.kind for e in journal.entries("t", call_id="a")]
    # the payment may have happened: it must not be reported (and journaled) as a plain rejection
    assert "rejected" not in kinds[kinds.index("started"):], (kinds, said, out.get("__interrupt__"))
