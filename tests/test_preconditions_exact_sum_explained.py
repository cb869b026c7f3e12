"""A denial over exact real arithmetic shows values that in fact violate the clause.

Preconditions compare reals exactly (as Z3 does): 0.2 + 0.05 is a little more than the float 0.25, so
`amount + fee <= state.balance` fails on amount=0.2, fee=0.05, balance=0.25. The words must not say
"0.25 is greater than 0.25": the sides shown must differ as the comparison says they do.

Fixed: a rational no float equals is written in decimals to 30 significant digits, "…" where it goes on
(0.250000000000000013877787807814… is greater than 0.25).
"""

from fractions import Fraction

from pydantic import BaseModel

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec


class Wallet(BaseModel):
    balance: float


@requires("amount + fee <= state.balance", state=Wallet)
def pay(amount: float, fee: float) -> str:
    return "ok"


def test_an_exact_sum_just_over_the_balance_is_shown_as_over_it() -> None:
    assert Fraction(0.2) + Fraction(0.05) > Fraction(0.25)  # the exact semantics deny
    spec = ToolSpec.of(pay)
    verdict = spec.guards[0].check(Proposal(call_id="c", tool="pay", args={"amount": 0.2, "fee": 0.05}),
                                   GuardContext(world=Wallet(balance=0.25)))
    assert verdict.kind == "deny"
    assert "0.25 is greater than 0.25" not in verdict.reason, verdict.reason
    assert "is greater than 0.25" in verdict.reason, verdict.reason
    # the exact sum in decimals, cut at 30 significant digits
    assert "0.250000000000000013877787807814… is greater than 0.25" in verdict.reason, verdict.reason
