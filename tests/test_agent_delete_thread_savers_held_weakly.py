"""`Agent.delete_thread` (no `checkpointer=`) erases in the checkpointers the agent's `compile` was given: it must
neither keep every such checkpointer alive for the agent's lifetime nor be stopped for good by one since closed,
and `adelete_thread` must erase in a checkpointer that has no async methods of its own.

What must hold (docs/kernel.md "Erasing a thread": `agent.delete_thread(thread_id)` erases "its checkpoints first (in each
checkpointer the agent's `compile` was given ...), then its journal entries"):
- a service compiling a graph per request (a fresh `InMemorySaver` each) does not pile every saver, with every
  conversation in it, onto the agent: a saver no graph or caller holds any more is let go;
- a `SqliteSaver` used in a `with SqliteSaver.from_conn_string(...)` block, as LangGraph's docs show, and since
  closed, holds no checkpoint any run can resume from: erasing a thread in the saver the agent is compiled
  with now goes ahead (it raised sqlite3's bare "Cannot operate on a closed database", for every thread, for as
  long as the agent lived);
- `await agent.adelete_thread(t)` on an agent compiled with a sync `SqliteSaver` erases the thread's checkpoints
  (it raised a bare `NotImplementedError`, from the saver's missing `adelete_thread`).

Fixed: savers are held weakly (dead ones pruned at the next compile); adelete_thread erases in a sync saver
through its own delete_thread.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


def _agent(journal: EffectJournal, runs: int = 4) -> Agent:
    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"] * runs), [pay], journal=journal)


def _run(graph, thread: str) -> None:
    graph.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": thread}})


def _checkpoints(saver, thread: str) -> int:
    return len(list(saver.list({"configurable": {"thread_id": thread}})))


def test_a_saver_no_one_holds_is_let_go(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        saver = InMemorySaver()
        _run(agent.compile(checkpointer=saver), "t")
        gone = weakref.ref(saver)
        del saver
        gc.collect()
        assert gone() is None, "the agent keeps every checkpointer it was compiled with, and their conversations"


def test_a_saver_since_closed_does_not_stop_erasing(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:  # an earlier run of the service
            _run(agent.compile(checkpointer=saver), "old")
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
            _run(agent.compile(checkpointer=saver), "t")
            assert agent.delete_thread("t") > 0
            assert _checkpoints(saver, "t") == 0
            assert list(journal.entries("t")) == []


def test_adelete_thread_with_a_sync_saver(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal, \
            SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
        agent = _agent(journal)
        graph = agent.compile(checkpointer=saver)
        _run(graph, "t")

        async def main() -> int:
            return await agent.adelete_thread("t")

        assert asyncio.run(main()) > 0
        assert _checkpoints(saver, "t") == 0
        assert list(journal.entries("t")) == []


def test_a_durable_saver_let_go_has_its_file_erased_all_the_same(tmp_path: Path) -> None:
    """A file-backed saver no one holds any more still holds the thread's checkpoints: erasing the journal alone
    would leave a thread a later saver on that file resumes, running its effects again. Refused, nothing deleted,
    until the caller names a saver; an in-memory saver let go holds nothing and stops nothing."""


    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        _run(agent.compile(checkpointer=InMemorySaver()), "mem")
        gc.collect()
        assert agent.delete_thread("mem") > 0  # held in memory alone: gone with its saver
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:  # one request of a service
            _run(agent.compile(checkpointer=saver), "t")
        del saver
        gc.collect()
        assert agent.delete_thread("t") > 0  # its file is reached all the same, through a connection of vfa's own
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
            assert _checkpoints(saver, "t") == 0
