"""A guard that returns a verdict built without validation (`Deny.model_construct()`, a field
missing or its kind not its class's) returns garbage, and garbage denies: the call is denied naming the guard,
its effect never runs, and the guard node neither crashes nor asks a person a question it does not have.

Such a verdict is an instance of a verdict class, so the chain took it as it was: a `Deny` without a reason
or an `Escalate` without a question raised `AttributeError` out of the guard node, and a `Deny` whose kind
says "allow" raised pydantic's `ValidationError`, neither naming the guard.

Fixed: such a verdict is garbage and denies, naming the guard and the faulty field and rule, never the values.
"""

from __future__ import annotations

from typing import Any

import pytest

from vfa import Allow, Deny, EffectJournal, Escalate, GuardNode, Repair, effect

PAID: list[int] = []


@effect
def pay(amount: int) -> str:
    """Pay."""
    PAID.append(amount)
    return "paid"


class _Returns:
    def __init__(self, verdict: Any) -> None:
        self.verdict = verdict
        self.name = "sloppy"

    def check(self, proposal: Any, context: Any) -> Any:
        return self.verdict


@pytest.mark.parametrize("verdict", [
    Deny.model_construct(),  # no reason
    Escalate.model_construct(),  # no question
    Repair.model_construct(reason="r"),  # no hint
    Deny.model_construct(kind="allow", reason="x"),  # a Deny that says it allows
    Allow.model_construct(kind="deny"),  # an Allow that says it denies
    Escalate.model_construct(question=None),  # a question that is no text
], ids=["deny-no-reason", "escalate-no-question", "repair-no-hint", "deny-kind-allow", "allow-kind-deny",
        "escalate-question-none"])
def test_an_unvalidated_verdict_denies_naming_the_guard(verdict: Any) -> None:
    PAID.clear()
    journal = EffectJournal()
    node = GuardNode([pay], [_Returns(verdict)], journal=journal)
    message = node.handle({"name": "pay", "args": {"amount": 5}, "id": "c1"}, {}, "t")
    assert message.artifact["vfa"]["outcome"] == "denied"
    assert "sloppy" in message.content
    assert PAID == []
    assert [e.kind for e in journal.entries("t")][-1] == "denied"
