"""An async effect whose event loop is closed under it wedges its conversation for good.

What must hold (README, exactly once: "a start ... whose run ended without an outcome while its process
goes on (... an async effect cut off on its event loop ...): the run marks the start `abandoned`"; house
rule: fail closed, never a hang): when the loop an async effect runs on is closed before the effect ends,
the run is cut off. Its start is marked `abandoned`, the thread's lock is let go, and resuming the thread
recovers the call (a person is asked whether it happened), as after a crash.

Under `ainvoke` the guard node's worker thread awaits the effect on the caller's loop through
`vfa._effects.on_loop`: `asyncio.run_coroutine_threadsafe(...).result()`, with no bound. `asyncio.run`
cancels the tasks left on its loop, so that case ends; but a loop closed with the effect's task still
pending (a sync bridge: `loop.run_until_complete(asyncio.wait_for(app.ainvoke(...), 1))` then
`loop.close()`, which cancels nothing) never completes the task, so the worker waits for ever. It holds the
conversation's lock and the start's "under way" mark: every later call of the thread waits `lock_wait_s`
and is denied, resuming raises `CallInFlightError` ("being run by another run of this process") and
`delete_thread` refuses, until the process exits; a `vfa-call` thread is lost each time.

Fixed: `on_loop` stops waiting once the loop is closed with the effect unfinished, and raises it as a run cut
off (`asyncio.CancelledError`): the journal marks the start `abandoned`, and the lock is released.
"""

from __future__ import annotations

import asyncio
import time

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def test_an_effect_whose_loop_is_closed_under_it_lets_its_thread_go():
    paid: list[int] = []

    @effect
    async def transfer(to: str, amount: int) -> str:
        """Send money, then wait for the bank's receipt."""
        paid.append(amount)  # the money has gone out
        await asyncio.Event().wait()  # the receipt never comes: the loop is closed first
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 70}), "ok"]), [transfer])
    app = agent.compile(checkpointer=InMemorySaver())
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(asyncio.wait_for(app.ainvoke({"messages": [("user", "pay bob")]}, CFG), 1.0))
    except TimeoutError:
        pass
    loop.close()  # a sync bridge's loop, closed with the effect's task still pending
    assert paid == [70]

    locks = agent.guard_node._turns._locks
    deadline = time.monotonic() + 10
    while "t" in locks and time.monotonic() < deadline:
        time.sleep(0.05)
    kinds = [e.kind for e in agent.journal.entries("t")]
    assert "t" not in locks, (
        f"the worker still holds thread 't' after its effect's loop was closed (journal: {kinds}): every later "
        "call of the conversation is denied as busy and resuming it raises CallInFlightError, for good")
    assert kinds[-1] == "abandoned", kinds

    # resumed on a new loop: recovered as after a crash (a person asked whether it happened), never refused
    again = asyncio.new_event_loop()
    try:
        out = again.run_until_complete(app.ainvoke(None, CFG))
    finally:
        again.close()
    assert "__interrupt__" in out, out
    assert paid == [70]
