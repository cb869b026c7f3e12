"""check_trace judges every invariant it is given, whether they come in a list or in an iterator.

`check_trace(trace, invariants)` walked `invariants` twice: once to refuse what is no invariant, once to
judge them. An iterator (a generator, `map(...)`, as one builds invariants per channel) is spent by the
first walk, so the second judged nothing and the run was reported clean: a trace far outside its bounds
gave no violation (fail open). What must hold: the same violations as for the list.
"""

from __future__ import annotations

from guards import Bounds, Monotonic, Trace, check_trace


def _trace() -> Trace:
    return Trace(x=[0.0, 5.0, 0.0], y=[3.0, 2.0, 1.0])


def test_a_generator_of_invariants_is_judged() -> None:
    invariants = [Bounds("x", 0, 1), Monotonic("y")]
    expected = check_trace(_trace(), invariants)
    assert len(expected) == 2
    assert check_trace(_trace(), (inv for inv in invariants)) == expected


def test_invariants_built_with_map_are_judged() -> None:
    found = check_trace(_trace(), map(lambda c: Bounds(c, 0, 1), ["x", "y"]))
    assert sorted(v.invariant for v in found) == ["Bounds('x', lo=0, hi=1)", "Bounds('y', lo=0, hi=1)"]
