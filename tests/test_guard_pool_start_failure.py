"""A guard worker that could not be started leaves its place in the pool to the next one.

What must hold (vfa/_chain.py `_DaemonPool`, "each started when no idle one is left", up to `max_workers`): a
thread the system refuses to start (`RuntimeError: can't start new thread`, a container's process limit reached
for a moment) is not counted as a worker. The pool counted it before starting it, and never uncounted it: once
`max_workers` starts had failed, the pool had no worker and started none, so every later check waited out its
budget and was denied ("no guard worker became free"), for the life of the process, and each one's work item
(its proposal, its world, its guards) stayed in the queue forever. `ThreadPoolExecutor`, which it replaced,
counted a worker once started.

And the work of the submit that raised is not run later, by a worker started for another: its caller was told it
failed.

Fixed: the pool starts a worker before counting it, and queues the item after: a refused start raises with
nothing counted or queued, and the chain denies a call whose check no worker could be started for.
"""

from __future__ import annotations

import concurrent.futures
import threading

import pytest

from vfa._chain import _DaemonPool


def test_a_failed_start_is_not_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Expected: after a start that failed, the next submit starts a worker and its work runs."""
    pool = _DaemonPool(1, "vfa-test-pool")
    start = threading.Thread.start
    ran: list[str] = []

    def refused(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    with pytest.raises(RuntimeError, match="can't start new thread"):
        pool.submit(ran.append, "refused")
    monkeypatch.setattr(threading.Thread, "start", start)

    later = pool.submit(ran.append, "later")
    try:
        later.result(timeout=5)
    except concurrent.futures.TimeoutError:
        pytest.fail("no worker was started for the next check: the failed start still counted as one")
    assert ran == ["later"], f"the work of a submit that raised ran anyway: {ran}"


def test_a_failed_start_beside_busy_workers_raises_with_nothing_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """With every worker busy, a refused start raises (the chain denies), and the busy worker, once done, leaves
    exactly one idle place: the next item runs on it, no new worker needed."""
    pool = _DaemonPool(4, "vfa-test-pool2")
    assert pool.submit(int).result(timeout=5) == 0  # one worker, idle again
    gate = threading.Event()
    busy = pool.submit(gate.wait)  # takes the idle worker
    start = threading.Thread.start

    def refused(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    with pytest.raises(RuntimeError):
        pool.submit(str, "never")
    gate.set()
    assert busy.result(timeout=5) is True
    assert pool.submit(str, "ran").result(timeout=5) == "ran"  # starts no thread: start is still refused here
    monkeypatch.setattr(threading.Thread, "start", start)


def test_a_check_no_worker_could_start_for_is_denied(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chain whose guard needs a worker, when none can be started, denies the call naming why (fail closed)."""
    from vfa import ALLOW, GuardContext, Proposal, guard
    from vfa import _chain

    @guard
    def fine(p, c):
        return ALLOW

    monkeypatch.setattr(_chain, "_EXECUTOR", _DaemonPool(2, "vfa-test-pool3"))

    def refused(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    result = _chain.GuardChain([fine]).verify(Proposal(tool="t", args={}, call_id="c"), GuardContext())
    verdict = result.verdict
    assert verdict.kind == "deny" and "no guard worker could be started" in verdict.reason, verdict
