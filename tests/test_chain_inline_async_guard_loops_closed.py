"""An inline async guard leaves no event loop open in the thread that ran it.

`_call_guard` runs an awaitable verdict of an inline guard (`inline=True`, or any guard of a chain with
`timeout_s=None`) on an event loop it creates in the caller's thread and keeps in a thread-local for good:
never closed. Each loop holds its selector and self-pipe, three file descriptors. In a long-running
process that is:

- a server that runs each request on a thread of its own (`socketserver.ThreadingMixIn`, a threaded WSGI
  server): three descriptors per request, released only by a cyclic garbage collection (a loop is a
  reference cycle), with `ResourceWarning: unclosed event loop`;
- the threads that live on, idle (vfa's own `vfa-call` pool that `ainvoke` runs calls on, up to 256
  threads, or an app's executor): three descriptors per thread for the life of the process, 768 after a
  burst of 256 conversations at once, most of a default limit of 1024.

What must hold: once an inline async check has returned, the thread that ran it holds no descriptor for
it, whether the thread ends or stays alive.

Fixed: an inline awaitable runs on a loop of its own, closed when the check returns (vfa._chain._call_guard).
"""

from __future__ import annotations

import gc
import os
import threading

from vfa import ALLOW, GuardChain, GuardContext, Proposal, guard

_THREADS = 12


@guard(inline=True)
async def approves(p, c):
    return ALLOW


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _check() -> None:
    verdict = GuardChain([approves]).verify(Proposal(call_id="c1", tool="t", args={}), GuardContext()).verdict
    assert verdict.kind == "allow", verdict


def test_threads_that_end_leave_no_event_loop_open():
    _check()  # what a first check loads, loaded
    was = gc.isenabled()
    gc.disable()  # as between two collections of a busy process: nothing but reference counts frees a loop
    try:
        before = _fds()
        for _ in range(_THREADS):
            t = threading.Thread(target=_check)
            t.start()
            t.join()
        grown = _fds() - before
    finally:
        if was:
            gc.enable()
        gc.collect()
    assert grown <= 2, f"{grown} descriptors left open by {_THREADS} threads that each ran one inline async check"


def test_threads_that_live_on_hold_no_event_loop():
    _check()
    done, release = threading.Barrier(_THREADS + 1), threading.Event()

    def worker() -> None:
        try:
            _check()
        finally:
            done.wait()
            release.wait(10)  # alive and idle, as a pool's thread is after a burst

    before = _fds()
    threads = [threading.Thread(target=worker) for _ in range(_THREADS)]
    for t in threads:
        t.start()
    try:
        done.wait(10)
        grown = _fds() - before
    finally:
        release.set()
        for t in threads:
            t.join()
    assert grown <= 2, f"{grown} descriptors held by {_THREADS} idle threads that each ran one inline async check"
