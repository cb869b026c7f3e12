"""A tool's question, or a person's answer, that JSON cannot carry is journaled by its repr: the run pauses.

Fixed: the journal's encoder wrote values JSON cannot carry by their repr, but not dict keys (a
schedule keyed by dates) nor integers past the digits Python writes. An effect asking with such a value
(`interrupt(value)`) raised out of `invoke`, its start was marked abandoned, and on resume the person's
answer was read as the answer to "may it have happened?". A reject whose message was such a value
raised too, and left the thread stuck at the question. The journal now writes an entry's keys and huge
integers by their reprs (a cycle, the whole by its repr), and a reject's message is text. (A question holding an
integer past 4,300 digits still cannot pause: LangGraph's checkpointer cannot write it.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

QUESTIONS = {
    "date_keys": {dt.date(2025, 1, 1): 100, dt.date(2025, 2, 1): 100},  # a schedule to confirm
    "tuple_keys": {("bob", 5): "confirm?"},
}


@pytest.mark.parametrize("case", sorted(QUESTIONS))
def test_an_effect_asking_with_a_value_json_cannot_carry_pauses_and_goes_on(tmp_path, case):
    sent: list[tuple[str, int, object]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay, once the person confirms the schedule."""
        answer = interrupt(QUESTIONS[case])
        sent.append((to, amount, answer))
        return f"paid {amount} to {to}"

    journal = EffectJournal(tmp_path / "journal.db")
    app = Agent(ScriptedModel([[("pay", {"to": "bob", "amount": 5})], "done"]), [pay],
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("pay bob")]}, cfg)  # raises TypeError/ValueError today
    assert out.get("__interrupt__"), "the tool's question was not asked"
    assert [e.kind for e in journal.entries("t")][-1] == "paused"
    app.invoke(Command(resume="yes"), cfg)
    assert sent == [("bob", 5, "yes")]
    kinds = [e.kind for e in journal.entries("t")]
    assert kinds.count("committed") == 1 and "abandoned" not in kinds, kinds


def test_a_reject_whose_message_json_cannot_carry_is_journaled_not_raised(tmp_path):
    """A person's reject message that is not text is told as text (its repr), and journaled."""
    from vfa import Escalate
    from vfa._guard import FunctionGuard

    sent: list[str] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        sent.append(to)
        return "paid"

    journal = EffectJournal(tmp_path / "journal.db")
    ask = FunctionGuard(lambda p, c: Escalate(question="pay bob?"), name="ask")
    app = Agent(ScriptedModel([[("pay", {"to": "bob", "amount": 5})], "done"]), [pay], [ask],
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    assert app.invoke({"messages": [HumanMessage("pay bob")]}, cfg).get("__interrupt__")
    app.invoke(Command(resume={"type": "reject", "message": {dt.date(2025, 1, 1): "not on new year's day"}}), cfg)
    assert sent == []
    assert "rejected" in [e.kind for e in journal.entries("t")]


def test_the_journal_writes_what_json_cannot_carry():
    from vfa._journal import _written as dumps

    assert dumps({dt.date(2025, 1, 1): 1}) == '{"datetime.date(2025, 1, 1)":1}'
    assert dumps({("bob", 5): "x"}) == '{"(\'bob\', 5)":"x"}'
    assert dumps({"reference": 10 ** 5000}) == '{"reference":"<int of about 5001 digits>"}'
    loop: list = []
    loop.append(loop)
    assert dumps({"loop": loop}) == '"{\'loop\': [[...]]}"'
