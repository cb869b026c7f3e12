"""A plan over a world holding a set of a few dozen members is verified, as a single call against it is decided.

What must hold (README: "`verify_plan` proves a whole plan before step one"; `plan_execute` verifies each plan
the model proposes against the current world, `initial=`): a one-step plan paying a payee the world holds is
verified, and one paying a stranger is rejected naming the clause, within the budget.

The change that had a precondition's Z3 backend decide a bound set past 8 elements by Z3's rewriter ("50 payees
or 1,000 ids no longer time out and deny as undecided", tests/test_z3_large_set_membership.py) left
`verify_plan`'s own pushed solver (guards/_plans.py, "a scope from the start") as it was: with the world's 50
payees pinned, its first check ("are the assumptions consistent") runs out the budget, and every plan, however
sound, is rejected as undecided: 20 payees take ~0.2 s, 30 ~1 s, 50 over the default 5 s.

Fixed: verify_plan pins a set field of the world as its value itself (guards._plans._pin), before the
assumptions, instead of asserting a variable equal to it.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from guards import Step, requires, verify_plan
from vfa import effect


class Book(BaseModel):
    payees: set[str]


@effect
@requires("to in state.payees", state=Book)
def pay(to: str) -> str:
    """Pay someone on the book."""
    return "paid"


BOOK = Book(payees={f"payee{i:03d}" for i in range(50)})


def test_a_plan_paying_a_payee_of_fifty_is_verified() -> None:
    t0 = time.perf_counter()
    result = verify_plan([Step("pay", to="payee025")], [pay], initial=BOOK, timeout_ms=2000)
    took = time.perf_counter() - t0
    assert result.ok, result.explanation
    assert took < 1.0, f"took {took:.2f} s"


def test_a_plan_paying_a_stranger_is_rejected_naming_the_clause() -> None:
    result = verify_plan([Step("pay", to="mallory")], [pay], initial=BOOK, timeout_ms=2000)
    assert not result.ok and not result.undecided, result.explanation
    assert "to in state.payees" in result.explanation
