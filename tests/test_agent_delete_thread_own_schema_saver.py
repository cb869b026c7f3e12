"""A checkpointer that is not LangGraph's `SqliteSaver` but keeps its state in a SQLite file of its own schema is
erased by its own `delete_thread`, not skipped.

What must hold (docs/kernel.md "Erasing a thread": a thread's checkpoints are erased first, in each checkpointer its graphs
were compiled or run with, then its journal entries; a journal erased without its checkpoints leaves a thread a
later run resumes with no record of what it committed): `Agent.delete_thread` erases the thread in a saver whose
`conn` is a `sqlite3.Connection` but whose tables are its own. Before: vfa took any saver with a SQLite `conn` for
a `SqliteSaver`, erased "its file" through a connection of its own (`vfa._savers._erase_file`), found no
`checkpoints` table there ("holds none of them") and never called the saver's `delete_thread`: the thread's state
stayed in the file (the tool's result in clear) while the journal's entries were deleted.

Fixed: only a LangGraph SqliteSaver's file is erased through vfa's own connection; another saver on a SQLite
file erases itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


class ArchivingSaver(BaseCheckpointSaver):
    """A checkpointer of an app's own: LangGraph's in-memory saver, each checkpoint also archived in the app's
    SQLite file (`conn`), in a table of the app's schema; `delete_thread` erases both."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self.conn = conn
        self.inner = InMemorySaver()
        conn.execute("CREATE TABLE IF NOT EXISTS archive (thread TEXT, body TEXT)")
        conn.commit()

    def get_tuple(self, config: Any) -> Any:
        return self.inner.get_tuple(config)

    def list(self, config: Any, **kwargs: Any) -> Iterator[Any]:
        return self.inner.list(config, **kwargs)

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self.conn.execute("INSERT INTO archive VALUES (?, ?)",
                          (config["configurable"]["thread_id"], repr(checkpoint["channel_values"])))
        self.conn.commit()
        return self.inner.put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        self.inner.put_writes(config, writes, task_id, task_path)

    def get_next_version(self, current: Any, channel: Any) -> Any:
        return self.inner.get_next_version(current, channel)

    def delete_thread(self, thread_id: str) -> None:
        self.conn.execute("DELETE FROM archive WHERE thread = ?", (thread_id,))
        self.conn.commit()
        self.inner.delete_thread(thread_id)


def test_a_sqlite_backed_saver_of_its_own_schema_is_erased_by_its_delete_thread(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
        saver = ArchivingSaver(sqlite3.connect(tmp_path / "app.db", check_same_thread=False))
        try:
            agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]},
                                                     {"configurable": {"thread_id": "t"}})
            assert saver.conn.execute("SELECT count(*) FROM archive WHERE thread = 't'").fetchone()[0] > 0
            assert agent.delete_thread("t") > 0
            left = saver.conn.execute("SELECT count(*) FROM archive WHERE thread = 't'").fetchone()[0]
            assert left == 0, f"{left} archived checkpoints of 't' left in app.db, its journal entries erased"
            assert saver.inner.get_tuple({"configurable": {"thread_id": "t"}}) is None
        finally:
            saver.conn.close()
