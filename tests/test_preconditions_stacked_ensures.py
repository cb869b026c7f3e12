"""Two `ensures` of one tool that assign the same state field are refused, as one `ensures` that does is.

Fixed: stacked as two decorators, the second update of a field replaced the first wherever the declared
effect is read (the invariant guard, its lint, `verify_plan`), so a call whose declared effect broke
an invariant was allowed and a plan that could not run was verified.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from guards import Policy, Step, verify_plan
from vfa import PolicyError, effect


class Acct(BaseModel):
    balance: int


def test_one_ensures_refuses_the_double_assignment():
    bank = Policy(Acct)
    with pytest.raises(PolicyError, match="assigned twice"):
        @effect
        @bank.ensures("state.balance -= amount", "state.balance -= fee")
        def pay(amount: int, fee: int) -> str:
            return "paid"


def test_stacked_ensures_refuse_the_double_assignment():
    bank = Policy(Acct)
    with pytest.raises(PolicyError, match=r"state\.balance is assigned twice \(also by another `ensures`"):
        @effect
        @bank.ensures("state.balance -= fee")
        @bank.ensures("state.balance -= amount")
        def pay(amount: int, fee: int) -> str:
            return "paid"


def test_stacked_ensures_of_other_fields_both_apply():
    class Two(BaseModel):
        balance: int
        fees: int

    bank = Policy(Two)

    @effect
    @bank.requires("0 <= amount <= state.balance", "0 <= fee", "state.fees + fee <= 1")
    @bank.ensures("state.fees += fee")
    @bank.ensures("state.balance -= amount")
    def pay(amount: int, fee: int) -> str:
        """Pay an amount and record a fee (at most one in all)."""
        return "paid"

    start = Two(balance=100, fees=0)
    assert verify_plan([Step("pay", amount=60, fee=0), Step("pay", amount=40, fee=1)], [pay], initial=start).ok
    by_balance = verify_plan([Step("pay", amount=60, fee=0), Step("pay", amount=60, fee=0)], [pay], initial=start)
    by_fees = verify_plan([Step("pay", amount=1, fee=1), Step("pay", amount=1, fee=1)], [pay], initial=start)
    assert not by_balance.ok and by_balance.failed_step == 1, by_balance.explanation
    assert not by_fees.ok and by_fees.failed_step == 1, by_fees.explanation
