"""A declared bound at infinity is judged as the run time judges it, never a crash of `verify_plan`.

`Field(le=float("inf"))` on a state field or an argument is a bound every finite value meets (the run time's
`convert` compares `v <= inf`), and `Field(ge=float("inf"))` or a NaN bound one no value meets. `verify_plan`
turned each bound into a Z3 value, and `Z3.value` refuses infinity: the plan check raised `BadValue`
("value = inf is not a valid real"), naming neither the field nor the plan, `plan_execute` rejected every
plan of such an agent for that reason, and `Agent.lint` (the policy lint, at compile) raised it too.

What must hold: with an infinite bound that holds for every finite value the plan verifies (or is refused
with a counterexample) exactly as without it; with a bound no value meets, `verify_plan` returns a result
that is not ok (no world satisfies the declared types), never raises.

Fixed: Z3.domain states a bound at infinity as the run time's convert judges it.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from guards import Policy, Step, Sym, verify_plan
from vfa import effect


class Account(BaseModel):
    balance: float = Field(ge=-math.inf, le=math.inf)


account = Policy(Account)


@effect
@account.requires("amount <= state.balance")
@account.ensures("state.balance -= amount")
def pay(amount: float = Field(gt=-math.inf, lt=math.inf)) -> str:
    return "paid"


def test_a_bound_at_infinity_constrains_nothing() -> None:
    r = verify_plan([Step("pay", amount=5.0)], [pay], assume="state.balance >= 10")
    assert r.ok, r.explanation
    r = verify_plan([Step("pay", amount=5.0), Step("pay", amount=6.0)], [pay], initial=Account(balance=10.0))
    assert not r.ok and r.failed_step == 1 and r.counterexample["state"] == {"balance": 10.0}


def test_a_symbol_of_an_argument_bounded_at_infinity() -> None:
    r = verify_plan([Step("pay", amount=Sym("x"))], [pay], assume=["state.balance >= 10", "0 < x <= 10"])
    assert r.ok, r.explanation


class Frozen(BaseModel):
    balance: float = Field(ge=math.inf)


frozen = Policy(Frozen)


@effect
@frozen.requires("amount <= state.balance")
def spend(amount: float) -> str:
    return "spent"


def test_a_bound_no_value_meets_is_a_result() -> None:
    r = verify_plan([Step("spend", amount=1.0)], [spend], assume="state.balance >= 0")
    assert not r.ok and "bounds" in r.explanation


def test_an_agent_with_a_bound_at_infinity_lints() -> None:
    """The policy lint (`Agent.lint`, run when the agent compiles) states the same bounds in Z3."""
    from vfa import Agent
    from vfa.testing import ScriptedModel

    Agent(ScriptedModel([]), tools=[pay], world=lambda: Account(balance=3.0)).lint()
