"""A precondition that fails on a huge (but valid) integer is denied naming its clause.

Fixed: the fast check decided `amount * 0.1 <= state.balance` exactly for a 478-digit amount, but its
explanation wrote the exact product as a float, which raised `OverflowError`; the guard let it escape,
so the model read "raised OverflowError" instead of the clause that failed. Now evidence holds a value
beyond a float's range by its whole part, and one beyond what Python writes out by its size; and an
explanation that fails still leaves a denial that names the precondition.
"""

from __future__ import annotations

from pydantic import BaseModel

from guards import requires
from vfa import Deny, GuardContext, Proposal, ToolSpec, effect


class Account(BaseModel):
    balance: int


@effect
@requires("amount * 0.1 <= state.balance", state=Account)
def transfer(to: str, amount: int) -> str:
    """Send money."""
    return "sent"


@effect
@requires("amount * amount * amount * amount <= state.balance", state=Account)
def compound(amount: int) -> str:
    """A product whose value has more digits than Python writes out."""
    return "done"


def _check(fn, **args):
    guard = ToolSpec.of(fn).guards[0]
    return guard.check(Proposal(tool=ToolSpec.of(fn).name, args=args, call_id="c1"),
                       GuardContext(world=Account(balance=120)))


def test_a_huge_amount_is_denied_naming_the_clause():
    verdict = _check(transfer, to="bob", amount=3 ** 1000)
    assert isinstance(verdict, Deny), verdict
    assert "amount * 0.1 <= state.balance" in verdict.reason and "Overflow" not in verdict.reason, verdict.reason
    assert verdict.evidence["counterexample"]["amount"] == 3 ** 1000


def test_a_value_beyond_what_python_writes_is_shown_by_its_size():
    verdict = _check(compound, amount=10 ** 4000)  # its fourth power has 16,001 digits
    assert isinstance(verdict, Deny), verdict
    assert "amount * amount * amount * amount <= state.balance" in verdict.reason, verdict.reason
    assert "an integer of about 16001 digits" in verdict.reason, verdict.reason
    assert verdict.model_dump_json()  # the evidence is written out whole
