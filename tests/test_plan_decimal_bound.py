"""A bound written as a `Decimal` (`Field(ge=Decimal("0.5"))`, as money is written) binds the plan's symbols.

`_sorts._bounds` keeps only int and float bounds and drops any other silently, so `verify_plan` took an
argument bounded by `Decimal("0.5")` as unbounded: a plan whose symbol the assumption lets be 0.1 verified,
though the tool's schema refuses 0.1 at run time. `verify_plan` promises a symbol takes only its
argument's declared values (bounds), since a plan that needs another would stop halfway.

What must hold: the plan is refused, naming the symbol and the declared bound; with the assumption
keeping the symbol within it, it verifies.

Fixed: _sorts._bounds takes a Decimal bound exactly, as a Fraction.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from guards import Policy, Step, Sym, verify_plan
from vfa import effect


class Wallet(BaseModel):
    balance: float


wallet = Policy(Wallet)


@effect
@wallet.requires("amount <= state.balance")
def pay(amount: float = Field(ge=Decimal("0.5"))) -> str:
    return "paid"


def test_a_decimal_bound_binds_a_symbol() -> None:
    r = verify_plan([Step("pay", amount=Sym("x"))], [pay], assume=["state.balance >= 10", "0 < x <= 1"])
    assert not r.ok and "'x'" in r.explanation and "bounds" in r.explanation, r.explanation
    r = verify_plan([Step("pay", amount=Sym("x"))], [pay], assume=["state.balance >= 10", "0.5 <= x <= 1"])
    assert r.ok, r.explanation
