"""`len()` of a string argument under the 256-character threshold, with `backend="z3"`.

`ReferenceCheck.decide` decides a check whose string values are all at most 256 characters in its pushed
solver. Z3's incremental engine measures a string pinned to a constant (`Length`) in time quadratic in its
length (z3 5.4: 0.2 s for 100 characters, 1 s for 200, 2 s for 256), so `len(note) <= 1000` on a note of
200 characters is denied as undecided with a budget of 500 ms, and one of 256 with the default 2,000 ms,
while a note of 257 characters (the rewriter's path) is allowed at once.

Expected: a valid call is allowed within its budget whatever the length of its string, the same on both
sides of the threshold; a violating one is denied naming its clause.

Fixed: a formula that measures a string (len) is decided by Z3's rewriter with every value given, a fresh
solver where it cannot.
"""

from __future__ import annotations

import time

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec, effect


@effect
@requires("len(note) <= 1000", "amount > 0", backend="z3", timeout_ms=500)
def post(note: str, amount: int) -> str:
    """Post a note."""
    return "posted"


def _check(**args):
    spec = ToolSpec.of(post)
    guard = spec.guards[0]
    t0 = time.perf_counter()
    verdict = guard.check(Proposal(tool=spec.name, args=args, call_id="c1"), GuardContext(tool=spec))
    return verdict, time.perf_counter() - t0


def test_a_measured_string_under_the_threshold_is_decided_as_one_over_it() -> None:
    for n in (200, 256, 257, 2000):
        verdict, took = _check(note="n" * n, amount=5)
        want = "allow" if n <= 1000 else "deny"
        assert verdict.kind == want, (n, verdict)
        assert took < 0.5, f"{n} characters took {took:.2f} s"
    verdict, _ = _check(note="n" * 2000, amount=5)
    assert "len(note) <= 1000" in verdict.reason, verdict
