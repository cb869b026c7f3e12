"""An effect awaited on another loop that ends just as a poll of `on_loop` times out is not a TimeoutError.

What must hold: `vfa._effects.on_loop` returns what the awaitable returned (or raises what it raised). It waits
in polls of `_LOOP_POLL_S` (to see the loop closed); a poll that times out raises the builtin `TimeoutError`, as
the awaitable's own would, so since today a poll's timeout is re-raised when `future.done()` is true after it
(b6010ab). But the future may complete between the poll's timeout and that look: the effect then ended (it
happened) and the caller is told the poll's bare `TimeoutError`, which `EffectJournal.commit` records as the
effect's own failure (`failed`, never run again), while the effect happened; the guard's `_within` has the same
window (a world read answered at its deadline raises a `TimeoutError` with no text).

The race is made deterministic with a profile hook in the waiting thread: when the first poll's
`Future.result` ends with a timeout, the effect is let finish and the hook waits until its future is done.

Fixed: on_loop and _within return a future done after the timeout's own outcome (future.result()).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time

from vfa import _effects


def test_an_effect_that_ends_as_a_poll_times_out_gives_its_result():
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        loop.run_forever()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    ready.wait(5)
    release = asyncio.Event()

    async def effect() -> str:
        await release.wait()
        return "paid"

    fired: list[bool] = []

    def hook(frame, event, arg):
        # the poll's `Future.result(timeout=...)` returning by its timeout: the future is not done yet
        if (event == "return" and not fired and frame.f_code.co_name == "result"
                and frame.f_code.co_filename.endswith("concurrent/futures/_base.py")):
            future = frame.f_back.f_locals.get("future")  # on_loop's (`result` clears its own `self` on the way out)
            if future is not None and not future.done():
                fired.append(True)
                loop.call_soon_threadsafe(release.set)
                deadline = time.monotonic() + 5
                while not future.done() and time.monotonic() < deadline:
                    time.sleep(0.001)

    sys.setprofile(hook)
    try:
        got = _effects.on_loop(effect(), loop)
    finally:
        sys.setprofile(None)
        loop.call_soon_threadsafe(loop.stop)
        server.join(5)
        loop.close()
    assert fired, "the race was not staged"
    assert got == "paid"


def test_the_awaitables_own_timeout_error_is_still_raised():
    """The case today's change is for: the awaitable's own TimeoutError is raised as it is, not polled for ever."""
    loop = asyncio.new_event_loop()
    server = threading.Thread(target=loop.run_forever, daemon=True)
    server.start()

    async def effect() -> str:
        raise TimeoutError("the bank did not answer")

    try:
        try:
            _effects.on_loop(effect(), loop)
        except TimeoutError as exc:
            assert "bank" in str(exc)
        else:
            raise AssertionError("no TimeoutError")
    finally:
        loop.call_soon_threadsafe(loop.stop)
        server.join(5)
        loop.close()
