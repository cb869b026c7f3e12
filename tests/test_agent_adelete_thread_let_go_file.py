"""`Agent.adelete_thread` erases the file of a `SqliteSaver` let go, as `delete_thread` does.

What must hold (docs/kernel.md "Erasing a thread": a `SqliteSaver`'s file, held or let go, is erased through a connection
of vfa's own, checkpoints first, then the journal's entries; `adelete_thread` is `delete_thread` for async
callers): a service runs a request with a `SqliteSaver` it closes when the request ends, and later, from async
code, erases the thread. Before: `adelete_thread` passed no `first` to the guard node when no saver was held
(`first=first if savers else None`), so the let-go file's checkpoints were never erased while the journal's entries
were: the thread's checkpoints (the tool's result in clear) stayed, and a later run on that file resumes a thread
with no record of what it committed. The sync `delete_thread` erases them.

Fixed: adelete_thread always runs its first step, so let-go SQLite files are erased; only a LangGraph
SqliteSaver's file is erased through vfa's own connection, another saver by its own delete_thread.
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def _left(file: Path, thread: str) -> int:
    with sqlite3.connect(file) as conn:
        return conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id = ?", (thread,)).fetchone()[0]


def test_adelete_thread_erases_a_let_go_saver_file(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:  # one request, its saver closed after
            agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]},
                                                     {"configurable": {"thread_id": "t"}})
        del saver
        gc.collect()
        assert _left(tmp_path / "cp.db", "t") > 0

        assert asyncio.run(agent.adelete_thread("t")) > 0
        assert _left(tmp_path / "cp.db", "t") == 0, "the let-go saver's checkpoints were left, the journal erased"
        assert list(journal.entries("t")) == []
