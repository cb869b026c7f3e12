"""`Conserved` over terms whose magnitudes overflow a float: same verdict as exact rational totals.

`first_drift` allows each compensated total its rounding bound, 2u|S| + 2(nu)^2 sum|x|. When the terms'
magnitudes sum past the float maximum (each term finite: 1.5e308 and -1.5e308 side by side), that bound
is inf, so every later total was "within" it: a total that went from 0 to 1e300 was reported conserved
(fail open). And where the compensated total itself overflowed (a violation, fail closed), writing the
message raised a bare `OverflowError` from `math.fsum` ("intermediate overflow in fsum").

What must hold: the verdict is the one exact rational totals give (the reference below), and a violation
is reported as a `Violation`, never an exception.

Fixed: where a frame's magnitudes overflow a float, Conserved decides on exact rational totals
(guards/_invariants.py); the message's total is summed exactly too.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from guards import Conserved, Trace, check_trace

BIG = 1.5e308


def exact_first_drift(rows: list[list[float]], tol: float) -> int | None:
    """The first frame whose exact total differs from frame 0's by more than `tol`, or None."""
    totals = [sum(map(Fraction, row), Fraction(0)) for row in rows]
    return next((f for f, t in enumerate(totals) if abs(t - totals[0]) > tol), None)


CASES = [
    # magnitudes overflow, totals 0 then 1e300: a drift
    [[BIG, -BIG, BIG, -BIG], [0.0, 0.0, 0.0, 1e300]],
    # magnitudes overflow in the later frame only
    [[1.0, 2.0, 3.0, 4.0], [BIG, -BIG, BIG, -BIG + 2**1000]],
    # partial sums overflow, totals 5 and 1e6: a drift
    [[1e308, 1e308, -1e308, -1e308, 5.0], [1e308, 1e308, -1e308, -1e308, 1e6]],
    # partial sums overflow, totals equal: conserved
    [[1e308, 1e308, -1e308, -1e308, 5.0], [1e308, -1e308, 1e308, -1e308, 5.0]],
    # magnitudes overflow, the same total moved between entities: conserved
    [[BIG, -BIG, BIG, -BIG, 7.5], [0.0, 0.0, BIG, -BIG, 7.5]],
]


@pytest.mark.parametrize("rows", CASES)
def test_verdict_matches_exact_totals(rows: list[list[float]]) -> None:
    found = check_trace(Trace(x=np.array(rows)), [Conserved("x", tol=1e-9)])
    expected = exact_first_drift(rows, 1e-9)
    assert [v.frame for v in found] == ([] if expected is None else [expected]), found
