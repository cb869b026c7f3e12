"""Invariant lint proves an invariant from a tool's updates; an `ensures` clause is a claim, not a fact.

`verify_plan` proves a postcondition clause from the updates and never assumes it
(tests/test_preconditions_review.py::test_postcondition_clauses_are_proven_not_assumed). The invariant
lint must not assume it either: `withdraw` may take the balance to -50 from balance 100, overdraft 100,
so it can break `state.balance >= 0` whatever its `ensures("state.balance >= 0")` claims, and the run
time's invariant guard denies such calls. The lint must report it, as it does without the claim.

Fixed: the invariant lint proves the invariant from the updates alone; an ensures clause is never assumed.
"""

import pytest
from pydantic import BaseModel

from guards import Policy
from vfa import Agent, GuardContext, PolicyError, Proposal, ToolSpec, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int
    overdraft: int


bank = Policy(Bank)


@effect
@bank.requires("0 < amount <= state.balance + state.overdraft")
@bank.ensures("state.balance -= amount", "state.balance >= 0")  # a wrong guarantee
def withdraw(amount: int) -> str:
    """Withdraw."""
    return "ok"


def test_the_run_time_denies_what_the_claim_says_cannot_happen() -> None:
    inv = bank.invariant("state.balance >= 0")
    verdict = inv.check(Proposal(call_id="c", tool="withdraw", args={"amount": 150}),
                        GuardContext(world=Bank(balance=100, overdraft=100), tool=ToolSpec.of(withdraw)))
    assert verdict.kind == "deny"


def test_a_wrong_ensures_claim_does_not_hide_a_broken_invariant() -> None:
    with pytest.raises(PolicyError, match="can break invariant `state.balance >= 0`"):
        Agent(ScriptedModel([]), tools=[withdraw], guards=[bank.invariant("state.balance >= 0")],
              world=Bank(balance=100, overdraft=100)).lint()
