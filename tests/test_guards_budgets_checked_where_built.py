"""The guards library's own guards take a time budget (`timeout_s`) and never check it.

`TraceVerifier(..., timeout_s="abc")` and `CollisionGuard(..., timeout_s="abc")` build; the chain then reads
the budget at the first call and raises a bare `TypeError` ("unsupported operand type(s) for +: 'float' and
'str'") out of `GuardChain.verify`, so a guard node crashes instead of denying. NaN, zero or a negative budget
deny every call as "did not decide within nan s", and `True` is read as one second. `FunctionGuard` and
`GuardChain` refuse all of these where they are given (`check_budget`); the guards library's guards must too.

`TraceVerifier` also takes anything as its invariants (a text, a number: every call then denied by a
TypeError from `check_trace`), a single invariant not in a list ("'Bounds' object is not iterable"), and a
trace reader that is no function: each must be refused where it is built, naming the argument. No invariant
at all (`TraceVerifier([])`) is a guard that allows every run: refused as a vacuous policy is.

Fixed: `TraceVerifier` and `CollisionGuard` check their budget (`check_budget`), name, readers and
invariants where built; `TraceVerifier([])` is refused.
"""

from __future__ import annotations

import math

import pytest

from guards import Bounds, CollisionGuard, Monotonic, TraceVerifier
from vfa import ALLOW, GuardChain, GuardContext, Proposal, VfaError

BAD_SECONDS = ["abc", math.nan, -1, 0, True]


def _collision(**kw):
    return CollisionGuard(start=lambda p, c: (0.0, 0.0), body=(1.0, 1.0), **kw)


@pytest.mark.parametrize("bad", BAD_SECONDS)
def test_a_trace_verifiers_budget_is_checked_where_built(bad):
    with pytest.raises(VfaError, match="timeout_s"):
        TraceVerifier([Monotonic("score")], timeout_s=bad)


@pytest.mark.parametrize("bad", BAD_SECONDS)
def test_a_collision_guards_budget_is_checked_where_built(bad):
    with pytest.raises(VfaError, match="timeout_s"):
        _collision(timeout_s=bad)


@pytest.mark.parametrize("good", [None, 0.5, 2, math.inf])
def test_good_budgets_still_build_and_judge(good):
    verifier = TraceVerifier([Monotonic("score")], timeout_s=good)
    p = Proposal(call_id="c1", tool="run", args={"trace": {"score": [0, 1, 2]}})
    assert GuardChain([verifier]).verify(p, GuardContext()).verdict == ALLOW
    assert _collision(timeout_s=good).timeout_s == good


@pytest.mark.parametrize("bad", ["abc", 5, [Bounds("x"), "lives"], [None]])
def test_a_trace_verifier_takes_invariants_only(bad):
    with pytest.raises((TypeError, VfaError), match="invariant"):
        TraceVerifier(bad)


def test_no_invariant_at_all_is_refused():
    with pytest.raises(VfaError, match="invariant"):
        TraceVerifier([])


def test_a_single_invariant_is_named_not_a_bare_not_iterable():
    with pytest.raises((TypeError, VfaError), match="list of invariants"):
        TraceVerifier(Bounds("lives", lo=0))


@pytest.mark.parametrize("kw", [{"trace": "trace"}, {"name": None}, {"name": 3}])
def test_a_trace_verifiers_reader_and_name_are_checked(kw):
    with pytest.raises((TypeError, VfaError), match=next(iter(kw))):
        TraceVerifier([Monotonic("score")], **kw)


@pytest.mark.parametrize("kw", [{"name": None}, {"path": "path"}, {"obstacles": [[0, 0, 1, 1]]}])
def test_a_collision_guards_name_and_readers_are_checked(kw):
    with pytest.raises((TypeError, VfaError), match=next(iter(kw))):
        _collision(**kw)
