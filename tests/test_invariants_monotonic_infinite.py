"""`Monotonic` accepts a value that stays infinite: inf to inf is no step back.

Wrong: `first_non_monotonic` tests `x[f] - extreme >= -tol`, and inf - inf is NaN, which is never
ok, so a channel holding the same infinite value on two frames is reported as a decrease ("best[0]
increases from inf (frame 0) to inf at frame 1"). A best lap time that starts at +inf until the
first lap is done, declared `Monotonic("best_lap", decreasing=True)`, fails a correct run at frame
1, and `TraceVerifier` denies it; `Always(state("best_lap") <= state("best_lap").prev())`, the same
rule written as an expression, passes it. Expected: an equal value is a step of 0 (a violation
only when `strict`); a finite value after inf, or NaN, is still judged as before.

Fixed: an equal value is a step of 0 (so inf then inf is none); strict mode, NaN and a real step back from
inf are judged as before.
"""

from __future__ import annotations

import numpy as np

from guards import Always, Monotonic, Trace, TraceVerifier, check_trace, state

INF = float("inf")


def test_best_lap_time_starting_at_inf_is_decreasing():
    trace = Trace(best_lap=np.array([INF, INF, INF, 62.5, 61.0, 61.0]))
    assert check_trace(trace, [Always(state("best_lap") <= state("best_lap").prev())]) == []
    assert check_trace(trace, [Monotonic("best_lap", decreasing=True)]) == []
    assert TraceVerifier([Monotonic("best_lap", decreasing=True)]).verify(trace) == []


def test_increasing_channel_that_reaches_inf_and_stays():
    assert check_trace(Trace(score=np.array([1.0, INF, INF])), [Monotonic("score")]) == []


def test_equal_infinite_values_still_break_strict_and_real_steps_back_are_found():
    assert [v.frame for v in check_trace(Trace(x=np.array([1.0, INF, INF])), [Monotonic("x", strict=True)])] == [2]
    assert [v.frame for v in check_trace(Trace(x=np.array([INF, INF, 5.0])), [Monotonic("x")])] == [2]
    assert [v.frame for v in check_trace(Trace(x=np.array([INF, np.nan])), [Monotonic("x")])] == [1]
    assert [v.frame for v in check_trace(Trace(x=np.array([-INF, -INF, -INF])), [Monotonic("x", decreasing=True)])] == []
