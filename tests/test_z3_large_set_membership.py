"""Membership of an argument in a state set of a few dozen values, or a thousand, with `backend="z3"`.

A pushed solver's array reasoning decides the membership of a value in a bound set (a chain of `SetAdd`s)
slowly or not at all: 50 payees of 8 characters, or 1,000 ints, ran past a 2,000 ms budget and the call was
denied as undecided though the fast path allowed it. Past `_LARGE_SET` elements the check is decided by
Z3's rewriter (every variable has its value), as a long string is.

What must hold: a call whose argument is in the set is allowed within the guard's budget, one whose argument
is not is denied naming the clause, and the z3 backend agrees with the fast path on every call.
"""

from __future__ import annotations

import time

import pytest

from pydantic import BaseModel

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec, effect


class Book(BaseModel):
    payees: set[str]
    ids: set[int]


@effect
@requires("to in state.payees", "ref in state.ids", state=Book, backend="z3", timeout_ms=1000)
def pay(to: str, ref: int) -> str:
    """Pay someone."""
    return "paid"


BOOK = Book(payees={f"payee{i:03d}" for i in range(50)}, ids=set(range(1000)))


def _check(**args):
    spec = ToolSpec.of(pay)
    guard = spec.guards[0]
    t0 = time.perf_counter()
    verdict = guard.check(Proposal(tool=spec.name, args=args, call_id="c1"), GuardContext(world=BOOK, tool=spec))
    return verdict, time.perf_counter() - t0


def test_membership_in_a_set_of_fifty_payees_is_decided() -> None:
    verdict, took = _check(to="payee025", ref=500)
    assert verdict.kind == "allow", verdict
    assert took < 1.0, f"took {took:.2f} s"
    verdict, _ = _check(to="mallory", ref=500)
    assert verdict.kind == "deny" and "to in state.payees" in verdict.reason, verdict


def test_membership_in_a_thousand_ints_is_decided() -> None:
    verdict, took = _check(to="payee000", ref=999)
    assert verdict.kind == "allow", verdict
    assert took < 1.0, f"took {took:.2f} s"
    verdict, _ = _check(to="payee000", ref=1000)
    assert verdict.kind == "deny" and "ref in state.ids" in verdict.reason, verdict


@pytest.mark.parametrize("size", [0, 1, 8, 9, 40])
def test_the_z3_backend_agrees_with_the_fast_path_about_and_past_the_threshold(size: int) -> None:
    book = Book(payees={f"p{i}" for i in range(size)}, ids=set(range(size)))
    spec = ToolSpec.of(pay)
    z3_guard = spec.guards[0]
    for to in ("p0", f"p{size - 1}", f"p{size}", "x"):
        for ref in (0, size - 1, size, -1):
            args = {"to": to, "ref": ref}
            expected = to in book.payees and ref in book.ids
            verdict = z3_guard.check(Proposal(tool=spec.name, args=args, call_id="c"),
                                     GuardContext(world=book, tool=spec))
            assert (verdict.kind == "allow") == expected, (args, verdict)
            assert z3_guard.precondition.holds(args, book) == expected, args  # the fast path


def test_a_refused_value_leaves_the_session_deciding_by_the_rewriter() -> None:
    """A check whose value is refused (missing) must not clear the session's mark of its own slow constants."""
    from guards._reference import ReferenceCheck

    ref = ReferenceCheck(ToolSpec.of(pay).guards[0].precondition, timeout_ms=1000)
    ref.session.slow_values = True  # as a clause's long literal sets it when the formula is translated
    with pytest.raises(Exception, match="missing"):
        ref.decide({"ref": 1}, Book(payees={"a"}, ids={1}))  # no `to`
    assert ref.session.slow_values
