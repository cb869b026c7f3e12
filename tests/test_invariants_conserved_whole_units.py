"""`Conserved` totals whole numbers exactly: one minted unit shows, however large the totals.

Fixed: the totals were compensated float sums, allowed their worst-case rounding bound on top of `tol`
even where they were exact; near 2**54 that bound is about four units a total, so six coins minted
with `tol=0` went unreported, though `Trace` refuses integers beyond 2**53 so that no unit can vanish.
"""

from __future__ import annotations

import numpy as np

from guards import Conserved, Trace, check_trace


def test_minted_coins_in_large_integer_channels_are_a_violation():
    n = 2**53
    trace = Trace(held=np.array([n - 10, n - 4, n - 4], np.int64), on_map=np.array([n - 10, n - 10, n - 10], np.int64))
    found = check_trace(trace, [Conserved("held", "on_map", tol=0.0)])
    assert found and found[0].frame == 1, found


def test_coins_moved_between_channels_are_conserved():
    n = 2**53
    trace = Trace(held=np.array([n - 10, n - 4], np.int64), on_map=np.array([n - 10, n - 16], np.int64))
    assert check_trace(trace, [Conserved("held", "on_map", tol=0.0)]) == []


def test_fractional_totals_keep_their_rounding_allowance():
    trace = Trace(a=np.array([0.1, 0.3]), b=np.array([0.2, 0.0]))  # 0.1 + 0.2 is not 0.3 in floats
    assert check_trace(trace, [Conserved("a", "b", tol=0.0)]) == []
    lost = Trace(a=np.array([0.1, 0.3]), b=np.array([0.2, -1e-9]))
    assert check_trace(lost, [Conserved("a", "b", tol=0.0)])
