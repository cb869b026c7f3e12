"""The Z3 backend of a precondition (`backend="z3"`) on a long string argument.

`ReferenceCheck.decide` binds each argument to its value in the one solver it reuses, inside a
push/pop scope. Z3's incremental engine decides a string variable pinned to a long constant in time
that grows with the square of its length, and Z3's `timeout` does not bound it: on z3-solver 4.12.0
(the lowest version `pyproject.toml` allows; every 4.x behaves alike) a valid call with a note of 8,000
characters is denied as undecided within its 100 ms, one of 60,000 characters holds the solver (and the
process's one Z3 lock) for ~13 s; on z3 5.4 one of 60,000 characters is denied as undecided. Both are
well within the guard node's 64 KiB `max_arg_bytes`. A new solver decides the same check at once on
every version (a few ms).

Expected: a valid call whose argument is a long string (up to what the guard node lets through) is
allowed, within the guard's budget, and a violating one is still denied naming its clause.

Fixed: with a bound string past 256 characters the check substitutes every value and lets Z3's rewriter decide
(Z3.evaluate); a fresh solver where it cannot.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec, effect


class Account(BaseModel):
    balance: int


@effect
@requires("note != 'admin'", "amount <= state.balance", state=Account, backend="z3", timeout_ms=100)
def transfer(note: str, amount: int) -> str:
    """Send money with a note."""
    return "sent"


def _check(**args):
    spec = ToolSpec.of(transfer)
    guard = spec.guards[0]
    t0 = time.perf_counter()
    verdict = guard.check(Proposal(tool=spec.name, args=args, call_id="c1"), GuardContext(world=Account(balance=10), tool=spec))
    return guard, verdict, time.perf_counter() - t0


def test_a_long_string_within_max_arg_bytes_is_decided_within_the_guards_budget() -> None:
    for n in (8_000, 60_000):  # 60,000 characters: JSON of ~60 KB, under the guard node's 64 KiB
        guard, verdict, took = _check(note="n" * n, amount=5)
        assert verdict.kind == "allow", (n, verdict)
        assert took < guard.timeout_s, f"{n} characters took {took:.1f} s, past the guard's {guard.timeout_s} s"


def test_a_long_string_with_a_violated_clause_is_still_denied_by_it() -> None:
    _, verdict, _ = _check(note="n" * 60_000, amount=50)
    assert verdict.kind == "deny" and "amount <= state.balance" in verdict.reason, verdict


def test_short_strings_after_a_long_one_are_decided_as_before() -> None:
    _check(note="n" * 60_000, amount=5)
    _, verdict, _ = _check(note="admin", amount=5)
    assert verdict.kind == "deny" and "note != 'admin'" in verdict.reason, verdict
    _, verdict, _ = _check(note="hi", amount=5)
    assert verdict.kind == "allow", verdict
