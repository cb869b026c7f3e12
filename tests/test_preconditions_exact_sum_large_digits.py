"""A denial over a large exact sum writes digits the sum does not have.

`guards/_fastpath.py` `_said` writes a rational no float equals "in decimals to 30 significant digits ("…"
where it goes on)". `_decimal` rounds to 30 significant digits, then writes the result in plain notation
whenever its exponent is under 40, so a value of 31 to 40 integer digits is padded with zeros in place of its
own digits: amount=1e35 plus fee=0.5 over a balance of 1e35 is written
"99999999999999996863366107918000000…", where the sum is 99999999999999996863366107917975552.5 (the five
zeros are not its digits, and the "…" says more digits follow them).

What must hold: the number a denial writes for an exact rational holds at most the 30 significant digits it
was rounded to (scientific notation past them), and they are the value's own digits rounded.

Fixed: `_decimal` writes plain notation only where the rounded value's exponent is not positive.

Fixed: plain notation only when the rounded value's exponent is at most 0, scientific otherwise.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec


class Wallet(BaseModel):
    balance: float


@requires("amount + fee <= state.balance", state=Wallet)
def pay(amount: float, fee: float) -> str:
    return "ok"


def test_a_large_exact_sum_is_written_with_its_own_digits_only() -> None:
    exact = Fraction(1e35) + Fraction(0.5)
    spec = ToolSpec.of(pay)
    verdict = spec.guards[0].check(Proposal(call_id="c", tool="pay", args={"amount": 1e35, "fee": 0.5}),
                                   GuardContext(world=Wallet(balance=1e35)))
    assert verdict.kind == "deny"
    shown = re.search(r"does not hold: (\S+)… is greater than", verdict.reason)
    assert shown is not None, verdict.reason
    written = Decimal(shown.group(1))
    digits = written.as_tuple().digits
    assert len(digits) <= 30, f"{shown.group(1)} writes {len(digits)} digits of a value rounded to 30"
    assert abs(Fraction(written) - exact) <= Fraction(10) ** (written.adjusted() - 29), (shown.group(1), exact)
