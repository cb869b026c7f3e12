"""The erased checkpoints leave a SQLite checkpoint file's bytes even when a reader was on it at that moment.

What must hold (docs/kernel.md "Erasing a thread": a `SqliteSaver`'s file is erased "its bytes overwritten", as the
journal's are, "the log checkpointed"): another connection reading the checkpoint file on an earlier snapshot when
the thread is erased (another request's `get_tuple` or `list`, a backup) and done a moment later. The journal's
erasure tries its checkpoint again for up to 5 s while such a reader keeps it from finishing
(`EffectJournal._checkpoint`). The checkpoint file's was tried once (its "busy" read as an exception, which SQLite
gives as a row): the log's copies were never written back, so the thread's old pages, the tool's result in clear,
stayed in the file after `delete_thread` returned, until some later checkpoint.

Fixed: the file's log is checkpointed again while a reader keeps it from finishing, for up to 5 s, as the
journal's.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def test_a_reader_done_soon_after_does_not_leave_the_erased_bytes(tmp_path: Path) -> None:
    checkpoints = tmp_path / "cp.db"
    with EffectJournal(tmp_path / "j.db") as journal, SqliteSaver.from_conn_string(str(checkpoints)) as saver:
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
        saver.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the thread's pages in the file itself
        assert b"SECRET-4711" in checkpoints.read_bytes()

        reader = sqlite3.connect(checkpoints, isolation_level=None, check_same_thread=False)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM checkpoints").fetchone()  # a read under way, on the snapshot before
        done = threading.Timer(0.3, lambda: (reader.execute("COMMIT"), reader.close()))
        done.start()
        try:
            assert agent.delete_thread("t") > 0
        finally:
            done.join()
        left = b"".join(p.read_bytes() for p in tmp_path.glob("cp.db*"))
        assert b"SECRET-4711" not in left, "the erased checkpoints' bytes are still in the checkpoint file"
