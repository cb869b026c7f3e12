"""A `SqliteSaver` closed but still referenced counts as let go, not as held, when a thread is erased.

What must hold (docs/kernel.md "Erasing a thread": checkpoints are erased from each checkpointer "that is still held";
refused, `ConfigError`, while one that keeps its checkpoints beyond itself has been let go and none on its store is
held; fail closed with a clear error): a service builds its agent per request on one journal file, each request
with its own `SqliteSaver.from_conn_string(...)` on one checkpoint file, closed when the request ends. A request's
saver, closed, may still be referenced a while (its compiled graph kept, another request's frame not yet returned
on a worker thread, a reference cycle not yet collected). A later request erasing a thread must then:

- with a saver of its own on that file held, erase the thread's checkpoints through it (and the journal entries);
- with none, erase the file all the same (a SQLite file is reached through a connection of vfa's own).

Before: the closed saver was still "held" (`vfa._savers.Savers.held`), so `delete_thread` called its
`delete_thread` and raised a bare `sqlite3.ProgrammingError: Cannot operate on a closed database.` in both cases:
no erasure possible while it lived (found by a soak: four request threads, one checkpoint file).

Fixed: a closed saver is let go (`vfa._savers._closed`), and a SQLite checkpointer's file is erased through a
connection of vfa's own, once per file, whether its saver is held or let go (`vfa._savers._erase_file`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def _request_that_runs(journal: str, checkpoints: str, thread: str) -> Any:
    """One request: its agent and saver, the saver closed at the end; returns the closed saver (still referenced)."""
    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
    with SqliteSaver.from_conn_string(checkpoints) as saver:
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]},
                                                 {"configurable": {"thread_id": thread}})
    agent.close()
    return saver


def test_a_closed_saver_still_referenced_is_let_go_and_its_file_erased(tmp_path: Path) -> None:
    journal, checkpoints = str(tmp_path / "j.db"), str(tmp_path / "cp.db")
    closed = _request_that_runs(journal, checkpoints, "a")  # noqa: F841 (kept: referenced, as by a cached graph)

    with Agent(ScriptedModel(["-"]), [pay], journal=journal) as agent:
        assert agent.delete_thread("a") > 0  # its file reached through a connection of vfa's own
        with SqliteSaver.from_conn_string(checkpoints) as saver:
            assert list(saver.list({"configurable": {"thread_id": "a"}})) == []


def test_a_closed_saver_still_referenced_leaves_erasure_to_a_held_one_on_its_file(tmp_path: Path) -> None:
    journal, checkpoints = str(tmp_path / "j.db"), str(tmp_path / "cp.db")
    closed = _request_that_runs(journal, checkpoints, "a")  # noqa: F841 (kept: referenced, as by a cached graph)

    with Agent(ScriptedModel(["-"]), [pay], journal=journal) as agent, \
            SqliteSaver.from_conn_string(checkpoints) as saver:
        agent.compile(checkpointer=saver)  # this request's own saver on the same file, held
        assert agent.delete_thread("a") > 0
        assert list(saver.list({"configurable": {"thread_id": "a"}})) == [], "checkpoints of 'a' left in cp.db"
        assert list(agent.journal.entries("a")) == []
