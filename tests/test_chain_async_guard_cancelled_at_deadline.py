"""An async guard that overruns its budget is abandoned but never cancelled: it holds a guard worker until
it ends by itself, and enough of them deny every guarded call of the process.

What must hold (`GuardChain`, vfa/_chain.py: "a hung guard can be abandoned: its thread cannot be killed,
but the proposal is denied at the deadline"; docs/performance.md: budgeted guards share 32 worker threads): a thread
running sync code cannot be stopped, but a coroutine can. An `acheck` (or `async def` guard) still
running at its deadline is cancelled, so it releases its worker (its `finally` and `except
CancelledError` run) instead of holding it for as long as what it awaits takes (a policy service that
never answers, an `await` without a timeout of its own).

`_call_guard` runs the coroutine with `loop.run_until_complete` on the worker's own loop, and
`_run_isolated` only sets `run.cancelled` at the deadline, which is read before the next guard: the
coroutine goes on awaiting. 32 calls (one per conversation, at once) judged by a guard awaiting a
service that hangs pin all 32 workers, and from then on every call of every agent in the process is
denied with "no guard worker became free", though every later guard is quick.

Input: an async guard awaiting an event nobody sets, budget 0.1 s. Expected: the call is denied at its
deadline (as before), and the guard's coroutine is cancelled soon after (within 5 s); after 40 such
calls at once, a call judged by a quick guard is allowed.

Fixed: the worker runs an async guard's coroutine as a task it registers on its run (_Run.watch); at the
deadline the chain cancels it on the worker's loop (_Run.abandon).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import pytest

from vfa import ALLOW, GuardChain, GuardContext, Proposal, guard


class _Hung:
    """An async guard awaiting what never comes; records its cancellation, and can be let go by the test."""

    def __init__(self) -> None:
        self.cancelled = threading.Semaphore(0)
        self.waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self.lock = threading.Lock()
        self.name = "service"
        self.timeout_s = 0.1

    async def acheck(self, proposal, context):
        never = asyncio.Event()
        with self.lock:
            self.waiting.append((asyncio.get_running_loop(), never))
        try:
            await never.wait()
        except asyncio.CancelledError:
            self.cancelled.release()
            raise
        return ALLOW

    def let_go(self) -> None:
        """Ends every coroutine still waiting (a failing test must not leave the workers pinned)."""
        with self.lock:
            for loop, never in self.waiting:
                loop.call_soon_threadsafe(never.set)


def _proposal(i: int = 0) -> Proposal:
    return Proposal(call_id=f"c{i}", tool="transfer", args={"to": "bob", "amount": 5}, thread_id=f"t{i}")


@pytest.fixture
def hung():
    g = _Hung()
    yield g
    g.let_go()


def test_an_async_guard_past_its_deadline_is_cancelled(hung: _Hung):
    verdict = GuardChain([hung]).verify(_proposal(), GuardContext()).verdict
    assert verdict.kind == "deny" and "did not decide within 0.1 s" in verdict.reason, verdict
    assert hung.cancelled.acquire(timeout=5), "the abandoned coroutine was never cancelled: it holds its worker"


def test_hung_async_guards_do_not_starve_later_calls(hung: _Hung):
    chain = GuardChain([hung])
    with concurrent.futures.ThreadPoolExecutor(40) as pool:
        verdicts = list(pool.map(lambda i: chain.verify(_proposal(i), GuardContext()).verdict, range(40)))
    assert all(v.kind == "deny" for v in verdicts)
    # each abandoned check that began awaiting is cancelled and lets its worker go (one denied while still
    # queued for a worker never begins: its task is cancelled before its first step)
    cancelled = 0
    while hung.cancelled.acquire(timeout=2):
        cancelled += 1
    with hung.lock:
        began = len(hung.waiting)
    assert began >= 1 and cancelled == began, f"{began} coroutines began awaiting, {cancelled} were cancelled"

    @guard(timeout_s=1)
    def quick(p, c):
        return ALLOW

    assert GuardChain([quick]).verify(_proposal(99), GuardContext()).verdict.kind == "allow"
