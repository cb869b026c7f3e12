"""A guard whose evidence holds what JSON cannot (an object, a set, bytes) still denies or asks.

Evidence is journaled and shown to the model as JSON. An object in it made the journal's write raise
`PydanticSerializationError`, which escaped the guard node and failed the run: nothing was committed,
but the caller got a crash instead of the denial. Such evidence is now written by its repr (a set as a
list), and the verdict stands.
"""

from __future__ import annotations

import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, Deny, EffectJournal, Escalate, FunctionGuard, GuardNode, Proposal, effect
from vfa.testing import ScriptedModel


class _Reading:
    """A sensor reading a guard put in its evidence as it is."""

    def __repr__(self) -> str:
        return "Reading(42)"


def _transfer(sent: list[str]):
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        sent.append(to)
        return "sent"

    return transfer


@pytest.mark.parametrize("durable", [False, True], ids=["memory", "sqlite"])
def test_a_denial_whose_evidence_json_cannot_hold_is_journaled_and_shown(tmp_path, durable):
    sent: list[str] = []
    journal = EffectJournal(str(tmp_path / "j.db")) if durable else EffectJournal()
    evidence = {"reading": _Reading(), "seen": {3}, "raw": b"\x01", "nested": {"at": (1, 2)}}
    odd = FunctionGuard(lambda p, c: Deny(reason="over the limit", evidence=evidence), name="odd")
    node = GuardNode([_transfer(sent)], guards=[odd], journal=journal)
    message = node.handle({"name": "transfer", "args": {"to": "bob", "amount": 5}, "id": "c1"}, {"messages": []}, "t")
    assert message.artifact["vfa"]["outcome"] == "denied" and sent == []
    shown = {"reading": "Reading(42)", "seen": [3], "raw": "b'\\x01'", "nested": {"at": [1, 2]}}
    assert json.dumps(shown) in message.content
    denial = [e for e in journal.entries("t") if e.kind == "denied"]
    assert denial and denial[-1].data["evidence"] == shown


def test_plain_evidence_is_kept_as_the_guard_gave_it():
    verdict = Deny(guard="plain", reason="no", evidence={"limit": 100, "over": [1.5, None, True], "why": {"a": "b"}})
    node = GuardNode([_transfer([])], guards=[FunctionGuard(lambda p, c: verdict, name="plain")])
    result = node.verify(Proposal(call_id="c1", tool="transfer", args={"to": "bob", "amount": 5}, thread_id="t"), {})
    assert result.verdict is verdict  # not copied: the usual case costs nothing


def test_a_question_whose_evidence_json_cannot_hold_is_asked(tmp_path):
    sent: list[str] = []
    ask = FunctionGuard(lambda p, c: Escalate(question="pay bob?", evidence={"reading": _Reading()}), name="ask")
    app = Agent(ScriptedModel([[("transfer", {"to": "bob", "amount": 5})], "end"]), [_transfer(sent)], [ask],
                journal=EffectJournal(str(tmp_path / "j.db"))).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "pay bob")]}, cfg)
    question = out["__interrupt__"][0].value
    assert question["question"] == "pay bob?" and question["evidence"] == {"reading": "Reading(42)"}
    app.invoke(Command(resume={"type": "approve"}), cfg)
    assert sent == ["bob"]


@pytest.mark.parametrize("case", ["numpy", "cycle", "huge_int", "surrogate"])
def test_red_team_78_a_verdict_the_journal_could_not_write_is_still_a_denial(tmp_path, case):
    """Red team 78: numpy's ints (what `argmax` returns), a cycle, an int past 4,300 digits and a lone
    surrogate in the reason each failed the journal's write."""
    import numpy as np

    cycle: dict = {}
    cycle["self"] = cycle
    verdicts = {
        "numpy": Deny(reason="out of reach", evidence={"first_bad_step": np.argmax(np.arange(10) > 3)}),
        "cycle": Deny(reason="out of reach", evidence={"loop": cycle}),
        "huge_int": Deny(reason="out of reach", evidence={"n": 10 ** 5000}),
        "surrogate": Deny(reason="out of reach \ud800", evidence={}),
    }
    sent: list[str] = []
    journal = EffectJournal(str(tmp_path / "j.db"))
    node = GuardNode([_transfer(sent)], guards=[FunctionGuard(lambda p, c: verdicts[case], name="odd")], journal=journal)
    message = node.handle({"name": "transfer", "args": {"to": "bob", "amount": 5}, "id": "c1"}, {"messages": []}, "t")
    assert message.artifact["vfa"]["outcome"] == "denied" and sent == []
    assert "out of reach" in message.content
    assert [e.kind for e in journal.entries("t")][-1] == "denied"
