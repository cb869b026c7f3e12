"""A guard's `async def warm()` is awaited before its first check, outside its budget.

`GuardChain._unready` runs a guard's `warm()` on a thread of its own (vfa/_chain.py `_warm_up`) and takes its
return as the end of the warm-up. An async guard's author writes `async def warm(self)` as naturally as
`async def acheck`: `warm()` then returns a coroutine that nothing awaits (a "never awaited" RuntimeWarning),
so nothing is loaded, and the first check pays the whole warm-up inside its budget and is denied for a reason
that is not the call's, the very outcome `warm()` exists to prevent (Guard protocol: "called before the guard's
first check, outside its time budget").

What must hold: the chain awaits an awaitable that `warm()` returns before the first check, so that check
(budget 0.2 s, warm-up 0.3 s) is allowed, and no coroutine is left unawaited.

Fixed: an awaitable warm() returns is awaited on the warm-up's thread (_on_own_loop), bounded by
warm_timeout_s.
"""

from __future__ import annotations

import asyncio
import gc
import warnings

from vfa import ALLOW, Deny, GuardChain, GuardContext, Proposal

P = Proposal(call_id="c", tool="lookup", args={"q": "x"}, thread_id="t")


class _AsyncWarm:
    name = "async_warm"
    timeout_s = 0.2

    def __init__(self) -> None:
        self.loaded = False

    async def warm(self) -> None:
        await asyncio.sleep(0.3)  # loading what the check runs: longer than the check's budget
        self.loaded = True

    async def acheck(self, proposal, context):
        if not self.loaded:
            return Deny(reason="not loaded: warm() was never awaited")
        return ALLOW


def test_an_async_warm_is_awaited_before_the_first_check() -> None:
    g = _AsyncWarm()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = GuardChain([g]).verify(P, GuardContext())
        gc.collect()
    assert result.allowed, result.verdict
    assert g.loaded
    assert not [w for w in seen if "never awaited" in str(w.message)]


def test_an_async_warm_is_awaited_under_averify_too() -> None:
    g = _AsyncWarm()
    result = asyncio.run(GuardChain([g]).averify(P, GuardContext()))
    assert result.allowed, result.verdict
