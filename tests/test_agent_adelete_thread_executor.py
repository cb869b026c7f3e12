"""`Agent.adelete_thread` never waits for its checkpointer on a thread that checkpointer needs.

What must hold: a few deletions at once finish, whatever the checkpointer's async methods run on. A saver
whose `adelete_thread` awaits `asyncio.to_thread` (the plain way to give a sync saver async methods) needs a
thread of the loop's default executor. `adelete_thread` ran its blocking half with `asyncio.to_thread` too,
and that half waits, holding its default-executor thread, for the checkpointer's coroutine: with as many
deletions as the executor has threads (here 2; min(32, cpus + 4) by default) none of them could ever finish,
each holding its thread's lock (every later call of those threads denied as busy). vfa's own `_CALLS`
executor (`off_loop`) is there for exactly this (its docstring: "a few calls at once would hang for good").
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel


class ToThreadSaver(InMemorySaver):
    """A saver whose async deletion runs its sync one on the loop's default executor."""

    async def adelete_thread(self, thread_id: str) -> None:
        await asyncio.to_thread(self.delete_thread, thread_id)


@effect
def pay(to: str) -> str:
    """Pay someone."""
    return f"paid {to}"


def test_deletions_at_once_do_not_starve_the_default_executor() -> None:
    async def main() -> list[int]:
        asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=2))
        saver = ToThreadSaver()
        agent = Agent(ScriptedModel([("pay", {"to": "bob"}), "ok"]), [pay])
        graph = agent.compile(checkpointer=saver)
        for thread in ("a", "b"):
            await graph.ainvoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": thread}})
        deleted = await asyncio.wait_for(asyncio.gather(
            *(agent.adelete_thread(t, checkpointer=saver) for t in ("a", "b"))), 10)
        for thread in ("a", "b"):
            assert await saver.aget_tuple({"configurable": {"thread_id": thread}}) is None
            assert agent.journal.entries(thread) == []
        return deleted

    assert all(n > 0 for n in asyncio.run(main()))
