"""`verify_plan` proves that a plan keeps to what the tools and the state declare of their values.

Fixed: a symbol given to a `Literal[...]` argument was taken to be one of its values (so a plan
verified "for every value the assumptions allow" held a value the run time refuses), and the states a
plan reaches were never held to the state's declared bounds (a step whose update takes `state.count`
from 3 to 4, with `count <= 3` declared, verified, and the next step was denied at run time after the
first had been committed). Both are now proof obligations, as a symbol's numeric bounds were.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from guards import Policy, Step, Sym, verify_plan
from vfa import Deny, GuardContext, Proposal, ToolSpec, effect


class Acct(BaseModel):
    balance: int
    count: Annotated[int, Field(ge=0, le=3)]


bank = Policy(Acct)


@effect
@bank.requires("amount <= state.balance")
def pay(amount: Annotated[int, Field(ge=0)], level: Literal[1, 2, 3]) -> str:
    """Pay at a service level."""
    return "paid"


@effect
@bank.requires("amount <= state.balance", "state.count >= 1")
@bank.ensures("state.count += 1", "state.balance -= amount")
def tick(amount: Annotated[int, Field(ge=0)]) -> str:
    """Pay and count it."""
    return "ticked"


def test_a_symbol_outside_its_literal_values_is_not_verified():
    plan = [Step("pay", amount=1, level=1), Step("pay", amount=1, level=Sym("y"))]
    r = verify_plan(plan, [pay], assume=["y >= 0", "state.balance >= 2"])
    assert not r.ok and r.failed_step == 1, r.explanation
    assert "'level' is the symbol 'y'" in r.explanation and "declared values (1, 2, 3)" in r.explanation, r.explanation


def test_a_symbol_kept_within_its_literal_values_is_verified():
    plan = [Step("pay", amount=1, level=1), Step("pay", amount=1, level=Sym("y"))]
    r = verify_plan(plan, [pay], assume=["1 <= y", "y <= 2", "state.balance >= 2"])
    assert r.ok, r.explanation


def test_a_state_leaving_its_declared_bounds_is_not_verified():
    r = verify_plan([Step("tick", amount=1), Step("tick", amount=1)], [tick], initial=Acct(balance=100, count=3))
    assert not r.ok and r.failed_step == 0, r.explanation
    assert "update of state.count can leave it outside its declared bounds (ge 0, le 3)" in r.explanation, r.explanation
    # what the run time would do: the state after step 1 is one its guard refuses
    step_2 = ToolSpec.of(tick).guards[0].check(Proposal(tool="tick", args={"amount": 1}, call_id="c2"),
                                               GuardContext(world={"balance": 99, "count": 4}))
    assert isinstance(step_2, Deny)


def test_a_state_kept_within_its_declared_bounds_is_verified():
    r = verify_plan([Step("tick", amount=1), Step("tick", amount=1)], [tick], initial=Acct(balance=100, count=1))
    assert r.ok, r.explanation
