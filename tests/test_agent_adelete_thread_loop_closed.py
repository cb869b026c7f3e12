"""An `adelete_thread` whose event loop is closed under it holds the thread's lock for good.

What must hold (house rule: fail closed, never a hang; README, `agent.delete_thread`: "a crash between the
two leaves no thread that could resume without the record of what it committed (run it again to finish)"):
an erasure cut off on its event loop ends, having erased nothing of the journal, and lets the conversation
go: a later call of the thread runs, and the erasure can be run again.

`Agent.adelete_thread` (`vfa/_compile.py`) erases the checkpoints from a worker that holds the thread's
lock, awaiting the saver's `adelete_thread` on the caller's loop with
`asyncio.run_coroutine_threadsafe(...).result()`, with no bound. A loop closed with that task pending (a sync
bridge: `loop.run_until_complete(asyncio.wait_for(agent.adelete_thread(t), 1))`, then `loop.close()`)
never completes it: the worker waits for ever, holding the lock, so every later call of the conversation
waits `lock_wait_s` and is denied ("another call ... held its lock"), and the process hangs at exit.

Fixed: the saver is awaited through `vfa._effects.on_loop`, which stops waiting once the loop is closed
(`asyncio.CancelledError`): nothing of the journal is erased and the lock is released.
"""

from __future__ import annotations

import asyncio
import time

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class _SlowSaver(InMemorySaver):
    """An async saver whose erasure is still under way when its loop is closed."""

    async def adelete_thread(self, thread_id: str) -> None:
        await asyncio.Event().wait()


def test_an_erasure_whose_loop_is_closed_under_it_lets_the_thread_go():
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "ok",
                                 ("transfer", {"to": "bob", "amount": 2}), "ok"]), [transfer])
    app = agent.compile(checkpointer=_SlowSaver())
    app.invoke({"messages": [("user", "pay bob 1")]}, CFG)
    entries = len(agent.journal.entries("t"))

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(asyncio.wait_for(agent.adelete_thread("t"), 1.0))
    except TimeoutError:
        pass
    loop.close()  # closed with the saver's erasure still pending

    locks = agent.guard_node._turns._locks
    deadline = time.monotonic() + 10
    while "t" in locks and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "t" not in locks, "the cut-off erasure's worker still holds the thread's lock"
    assert len(agent.journal.entries("t")) == entries, "the journal was erased though the checkpoints were not"

    agent.guard_node.lock_wait_s = 2
    out = app.invoke({"messages": [("user", "pay bob 2")]}, CFG)
    assert [m.content for m in out["messages"] if m.type == "tool"] == ["sent", "sent"]
