"""A refused worker start beside running workers leaves the pool's count of idle workers true.

What must hold (vfa/_chain.py `_DaemonPool`: "each started when no idle one is left", up to `max_workers`): after
such a refused start, once the busy worker is done, a check submitted while every worker is busy starts a new worker (the pool is
below its maximum) and runs at once, rather than waiting for a busy one (a hung guard's worker: the check would
be denied at its deadline, "no guard worker became free").

When a refused start beside workers queued its item, that item took no idle place (`_idle`), but the worker that ran it released one when
done, as for any item: the pool counted one idle worker more than it had, for good, so the next submit that
found every worker busy took that phantom place, started no worker, and waited.

Fixed: a refused start raises with nothing queued (the chain denies the call), so no item runs without having
taken an idle place.
"""

from __future__ import annotations

import threading
import time

import pytest

from vfa._chain import _DaemonPool


def test_a_check_after_a_refused_start_gets_a_worker_while_the_others_are_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _DaemonPool(4, "vfa-test-phantom")
    assert pool.submit(int).result(timeout=5) == 0  # one worker, idle again
    first = threading.Event()
    busy = pool.submit(first.wait)  # takes the idle worker
    start = threading.Thread.start

    def refused(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    with pytest.raises(RuntimeError):  # refused: nothing queued (the chain denies the call)
        pool.submit(str, "queued")
    monkeypatch.setattr(threading.Thread, "start", start)
    first.set()
    assert busy.result(timeout=5) is True
    # the one worker, back at the queue, is the one idle place: never more places than workers started
    # (`_idle._value`, threading.Semaphore's count; a worker releases just after its item's result is set)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        assert pool._idle._value <= pool._started, (pool._idle._value, pool._started)
        time.sleep(0.01)

    hung = threading.Event()
    held = pool.submit(hung.wait)  # the one worker, held (a guard that hangs)
    try:
        later = pool.submit(str, "later")  # every worker busy, 1 of 4 started: a new one must take it
        assert later.result(timeout=5) == "later"
    finally:
        hung.set()
    assert held.result(timeout=5) is True
