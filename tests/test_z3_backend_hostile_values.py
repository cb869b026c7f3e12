"""Red team 132: the Z3 backend of a precondition (`backend="z3"`) on long strings and huge integers.

1. A long string overruns the guard's budget. `ReferenceCheck.decide` asks Z3 for a model on every
   satisfiable check (`Z3.check` always calls `solver.model()`), though it only reads the status. In
   the incremental solver the decision uses, building the model of a string variable bound to a
   long constant takes time and memory quadratic in its length, and Z3's `timeout` does not bound
   it: an argument of 8,000 characters (well within the 64 KiB `max_arg_bytes`) takes ~2 s and ~750
   MB, 20,000 take ~15 s and ~4 GB, and 60,000 exhaust the memory of the machine. The guard's budget
   (`timeout_ms` / 1000 + 1 s) denies the call, but its worker goes on, holding the process's one Z3
   lock, so every Z3-backed check in the process is denied meanwhile, or the process is killed.
   Expected: a valid call with a long string is allowed within the guard's budget.

2. An integer of more than 4,300 digits (in the world, or as the exact value of a real) makes the
   Z3 backend raise `ValueError: Exceeds the limit (4300 digits) for integer string conversion`
   (Python refuses to write it in decimal, which is how z3 takes numbers), so the call is denied
   with a message about Python's settings, naming neither the value nor the clause, where the fast
   path (and Z3 itself) decides it. Expected: the Z3 backend decides as the fast path does.

Fixed: `decide` reads the status without building a model, and ints past 4,300 digits are given to Z3
as decimal text written in pieces (`_decimal`); the error text no longer prints the value.
"""

from __future__ import annotations

import time
from fractions import Fraction

from pydantic import BaseModel

from guards import requires
from vfa import GuardContext, Proposal, ToolSpec, effect


class Account(BaseModel):
    balance: int
    rate: float = 0.5


@effect
@requires("note != 'admin'", "amount <= state.balance", state=Account, backend="z3", timeout_ms=100)
def transfer(note: str, amount: int) -> str:
    """Send money with a note."""
    return "sent"


@effect
@requires("x <= state.rate", state=Account, backend="z3")
def tune(x: float) -> str:
    """Set a rate."""
    return "set"


def _check(fn, world, **args):
    spec = ToolSpec.of(fn)
    guard = spec.guards[0]
    return guard, guard.check(Proposal(tool=spec.name, args=args, call_id="c1"), GuardContext(world=world, tool=spec))


def test_a_long_string_argument_is_decided_within_the_guards_budget() -> None:
    t0 = time.perf_counter()
    guard, verdict = _check(transfer, Account(balance=10), note="n" * 8000, amount=5)
    took = time.perf_counter() - t0
    assert verdict.kind == "allow", verdict
    assert took < guard.timeout_s, f"the Z3 check took {took:.1f} s, past the guard's {guard.timeout_s} s budget"


def test_a_world_integer_beyond_4300_digits_is_decided_as_the_fast_path_does() -> None:
    world = Account.model_construct(balance=10 ** 5000, rate=0.5)
    assert ToolSpec.of(transfer).meta["preconditions"][0].holds({"note": "hi", "amount": 5}, world)
    _, verdict = _check(transfer, world, note="hi", amount=5)  # before the fix: ValueError escaped check()
    assert verdict.kind == "allow", verdict


def test_an_exact_real_beyond_4300_digits_is_decided_as_the_fast_path_does() -> None:
    world = Account.model_construct(balance=1, rate=Fraction(1, 10 ** 5000))  # a tiny positive rate
    _, verdict = _check(tune, world, x=0.0)
    assert verdict.kind == "allow", verdict
    _, verdict = _check(tune, world, x=0.5)
    assert verdict.kind == "deny" and "x <= state.rate" in verdict.reason, verdict
