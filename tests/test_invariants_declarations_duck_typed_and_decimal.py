"""Declaration checks refused invariants and tolerances that worked and that the
rest of the API takes.

1. `check_trace` takes any invariant with a `first_violation(trace)` (it refuses only objects without
   one), and `TraceVerifier` took the same list until today; now `TraceVerifier.__init__`
   (`guards/_trace.py`) requires an `Invariant` subclass, so a user's own invariant that `check_trace`
   judges is refused by the guard that runs `check_trace` ("invariants must be Bounds, Monotonic, ...").
2. `tolerance()` and `Bounds` (`guards/_trace_expr.py`, `guards/_invariants.py`) require `numbers.Real`,
   which `Decimal` is not: `Conserved("coins", tol=Decimal("0.01"))` and `Bounds("coins", Decimal(0),
   Decimal(100))`, which read as floats before (money is often written so), are refused as "no number".

Fixed: `TraceVerifier` and `check_trace` share `_is_invariant` (has a `first_violation`); `tolerance` and `Bounds`
read a number through `_trace_expr.real`, which takes a `Decimal` (NaN as NaN).

What must hold: `TraceVerifier` takes what `check_trace` takes; a finite `Decimal` >= 0 is a tolerance
and a `Decimal` is a bound (a NaN or a negative one still refused).

Fixed: `TraceVerifier` takes any invariant `check_trace` takes (`_is_invariant`); a `Decimal` reads as its
float (`_trace_expr.real`), NaN still refused.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from guards import Bounds, Conserved, SceneError, TraceVerifier, Violation, check_trace


class NoNegativeCoins:
    """A user's own invariant, duck-typed as `check_trace` reads one."""

    name = "no negative coins"

    def first_violation(self, trace, mask=None):
        coins = trace.channel("coins")
        bad = np.flatnonzero((coins < 0).any(axis=1))
        if not len(bad):
            return None
        return Violation(self.name, int(bad[0]), f"coins below zero at frame {int(bad[0])}")


TRACE = {"coins": np.array([[5.0, 5.0], [4.0, 6.0], [-1.0, 11.0]])}


def test_the_trace_verifier_takes_what_check_trace_takes():
    inv = NoNegativeCoins()
    assert [v.frame for v in check_trace(TRACE, [inv])] == [2]
    verifier = TraceVerifier([inv])  # TypeError: invariants must be Bounds, Monotonic, NoContact, ...
    assert [v.frame for v in verifier.verify(TRACE)] == [2]


def test_a_decimal_tolerance_and_decimal_bounds_are_taken():
    assert check_trace(TRACE, [Conserved("coins", tol=Decimal("0.01"))]) == []
    assert [v.frame for v in check_trace(TRACE, [Bounds("coins", Decimal("0"), Decimal("100"))])] == [2]


@pytest.mark.parametrize("tol", [Decimal("NaN"), Decimal("-0.5"), Decimal("Infinity"), "0.01"])
def test_a_decimal_tolerance_that_is_no_slack_is_still_refused(tol):
    with pytest.raises(SceneError, match="tol"):
        Conserved("coins", tol=tol)
