"""A guard whose `warm()` hangs denies the call; it does not hang the run.

`GuardChain._plan` calls each applicable guard's `warm()` (vfa/_chain.py `_warm`) in the caller's thread,
before the first check, with no deadline at all: "outside its budget" became "without any bound". House
rule and the chain's own promise: a guard that raises or hangs denies (fail closed). A `warm()` that waits
on something that never comes (a model download, a lock another process holds, a compile that deadlocks)
now stops every call of every tool the guard applies to, for good, and the budget the guard declared is
never consulted.

What must hold: with a warm that does not return, `verify` gives a Deny within a bounded time (here a few
seconds), naming the guard; nothing runs.

Fixed: a guard's warm-up runs once, on a thread of its own; a call waits for it up to the chain's
`warm_timeout_s` (120 s by default: a numba compile on a cold cache takes tens of seconds), and past that is
denied naming the guard, while the warm-up goes on for the calls after it.
"""

from __future__ import annotations

import threading

from vfa import ALLOW, GuardChain, GuardContext, Proposal


class _SlowToWarm:
    name = "slow_to_warm"
    timeout_s = 0.2

    def __init__(self) -> None:
        self.release = threading.Event()

    def warm(self) -> None:
        self.release.wait(30)  # "never": released by the test once it has its answer

    def check(self, proposal, context):
        return ALLOW


def test_a_warm_that_never_returns_denies_in_bounded_time() -> None:
    g = _SlowToWarm()
    got: list = []
    chain = GuardChain([g], timeout_s=0.2)
    chain.warm_timeout_s = 1.0
    t = threading.Thread(target=lambda: got.append(
        chain.verify(Proposal(call_id="c", tool="t", args={}), GuardContext())), daemon=True)
    t.start()
    t.join(5.0)
    hung = t.is_alive()
    g.release.set()
    t.join(5.0)
    assert not hung, "verify was still waiting on the guard's warm() after 5 s (its budget: 0.2 s)"
    assert got and got[0].verdict.kind == "deny" and "did not get ready" in got[0].verdict.reason
    assert "slow_to_warm" in got[0].verdict.reason


def test_a_warm_is_run_once_per_guard_whatever_the_tools() -> None:
    calls: list[int] = []

    class _Counted:
        name = "counted"

        def warm(self) -> None:
            calls.append(1)

        def check(self, proposal, context):
            return ALLOW

    chain = GuardChain([_Counted()])
    for tool in ("a", "b", "c", "a"):
        assert chain.verify(Proposal(call_id=tool, tool=tool, args={}), GuardContext()).verdict.kind == "allow"
    assert calls == [1]
