"""`Agent.delete_thread` without `checkpointer=` erases the thread's checkpoints in the checkpointer the agent's
graph was compiled with, before its journal entries.

What must hold (docs/kernel.md "Erasing a thread": a journal without its checkpoints would have a resumed thread run its
effects again): erasing a conversation through the agent leaves no checkpoint of it behind, whether or not the
caller names the checkpointer again; other threads' checkpoints stay. Before, with no `checkpointer=`, only the
journal was erased and the graph's checkpoints were kept.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


def _agent(journal: EffectJournal) -> Agent:
    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"] * 2), [pay], journal=journal)


def _checkpoints(saver: InMemorySaver, thread: str) -> int:
    return len(list(saver.list({"configurable": {"thread_id": thread}})))


def test_delete_thread_erases_the_compiled_checkpointers_checkpoints(tmp_path: Path) -> None:
    saver, other = InMemorySaver(), InMemorySaver()
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        graph = agent.compile(checkpointer=saver)
        agent.compile(checkpointer=saver)  # the same saver twice: erased from once
        agent.compile(checkpointer=other)
        for thread in ("gone", "kept"):
            graph.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": thread}})
        assert _checkpoints(saver, "gone") > 0

        assert agent.delete_thread("gone") > 0

        assert _checkpoints(saver, "gone") == 0
        assert _checkpoints(saver, "kept") > 0
        assert list(journal.entries("gone")) == [] and list(journal.entries("kept"))


def test_adelete_thread_erases_the_compiled_checkpointers_checkpoints(tmp_path: Path) -> None:
    saver = InMemorySaver()
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        graph = agent.compile(checkpointer=saver)

        async def main() -> int:
            await graph.ainvoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
            return await agent.adelete_thread("t")

        assert asyncio.run(main()) > 0
        assert _checkpoints(saver, "t") == 0


def test_a_checkpointer_given_is_the_one_erased(tmp_path: Path) -> None:
    saver, given = InMemorySaver(), InMemorySaver()
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
        agent.delete_thread("t", checkpointer=given)
        assert _checkpoints(saver, "t") > 0  # the caller named where the thread's checkpoints are
