"""An inline async guard, awaited on a caller's loop that stopped after its caller gave up, never holds the thread.

What must hold (house rule: fail closed, never a hang; README: "A guard with `async acheck` is awaited on the
caller's own loop under `ainvoke` (free while it awaits the call)"): a sync bridge that runs one request on a
loop of its own with a timeout (`loop.run_until_complete(asyncio.wait_for(app.ainvoke(...), 0.1))`) and keeps
that loop (or forgets to close it) leaves the loop stopped, not closed. The call's worker goes on for a caller
that is gone (it begins no effect); an `acheck` it meets must still end, as it did on vfa's own loop before.

`vfa/_chain.py` `_call_guard` sends the check to `CALLER_LOOP` once `caller.is_running()`; the loop stops right
after (the caller's `wait_for` timed out), and `vfa/_effects.py` `on_loop` waits for a task of a stopped loop
until that loop is closed or run again. A guard with a budget is cut off at its deadline; an inline one
(`inline = True`, or `Agent(guard_timeout_s=None)`) has none: the `vfa-call` thread waits for ever holding the
conversation's lock (every later call of the thread is refused as busy) and, `_CALLS` being joined at exit,
the interpreter never exits. At c16a899 the same script ended the check in 0.3 s and exited.

Fixed: on_loop takes given_up, looked at each poll; _call_guard passes 'the caller is gone and its loop is not
running', so such a check is cancelled and denies (a caller still waiting keeps its check).
"""

from __future__ import annotations

import asyncio
import time

from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, effect
from vfa.testing import ScriptedModel


def test_an_inline_async_guard_on_a_stopped_callers_loop_lets_the_thread_go():
    ran: list[int] = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        ran.append(amount)
        return "sent"

    class Quick:
        name = "quick"
        inline = True  # bounded: its author vouches it answers in 0.3 s

        async def acheck(self, p, c):
            await asyncio.sleep(0.3)
            return ALLOW

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "ok"]), [transfer], guards=[Quick()])
    app = agent.compile(checkpointer=InMemorySaver())
    loop = asyncio.new_event_loop()  # a sync bridge's loop, kept for its next request
    try:
        try:
            loop.run_until_complete(asyncio.wait_for(
                app.ainvoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}}), 0.1))
        except (TimeoutError, asyncio.TimeoutError):
            pass
        locks = agent.guard_node._turns._locks
        deadline = time.monotonic() + 5
        while "t" in locks and time.monotonic() < deadline:
            time.sleep(0.05)
        held = "t" in locks
    finally:
        loop.close()  # lets a worker stuck on it go, so a failing run still exits
    assert not held, ("the worker still waits for the inline acheck on the stopped caller's loop after 5 s, holding "
                      "thread 't' (and the interpreter at exit)")
    assert ran == []  # its caller gave up: nothing was begun
