"""A file saver let go is matched by its file, not its class: a `SqliteSaver` held on another file does not stand
in for it, and an in-memory `SqliteSaver` let go refuses nothing.

What must hold (docs/kernel.md "Erasing a thread": refused, `ConfigError`, while a saver that keeps its checkpoints
beyond itself has been let go and none on its store is held; a journal erased without its checkpoints would have
a resumed thread run its effects again): an app with a checkpoint file per tenant, compiling a graph per request,
erases tenant A's thread while only tenant B's saver is held. Before, any held `SqliteSaver` lifted the refusal:
the journal was erased, A's checkpoints stayed in A's file (the tool's result in clear, and a thread a later saver
on that file resumes with no record of what it committed). A `SqliteSaver(":memory:")` let go holds nothing, but
refused every erasure until a saver was named.

Fixed: a saver let go is matched by its store (vfa._savers._store: a SQLite saver's main file; in memory,
nothing; its class's name where the store cannot be read).
"""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

from _checkpoint_files import checkpoints_left
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def _agent(journal: EffectJournal) -> Agent:
    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"] * 3), [pay], journal=journal)


def _request(agent: Agent, file: str, thread: str) -> None:
    with SqliteSaver.from_conn_string(file) as saver:  # one request of a service
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]},
                                                 {"configurable": {"thread_id": thread}})


def test_a_saver_on_another_file_does_not_stand_in_for_one_let_go(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        _request(agent, str(tmp_path / "tenant-a.db"), "a")
        gc.collect()
        other = SqliteSaver(sqlite3.connect(tmp_path / "tenant-b.db", check_same_thread=False))
        agent.compile(checkpointer=other)  # tenant B's request, under way

        # tenant A's saver let go, its file is reached all the same, through a connection of vfa's own
        assert agent.delete_thread("a") > 0
        assert checkpoints_left(tmp_path / "tenant-a.db", "a") == 0
        other.conn.close()


def test_a_saver_on_the_same_file_stands_in_for_one_let_go(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        _request(agent, str(tmp_path / "cp.db"), "a")
        gc.collect()
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
            agent.compile(checkpointer=saver)
            assert agent.delete_thread("a") > 0
            assert list(saver.list({"configurable": {"thread_id": "a"}})) == []


def test_an_in_memory_sqlite_saver_let_go_refuses_nothing(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        _request(agent, ":memory:", "a")
        gc.collect()
        assert agent.delete_thread("a") > 0

