"""Erasing a thread whose checkpoint file is write-locked fails soon, with a clear error, nothing lost.

What must hold (house rules: bad input gets a clear error naming the problem, nothing committed or lost; a guard
that hangs denies): an app uses its `SqliteSaver`'s connection for a table of its own and, before committing that
write, erases a thread (`Agent.delete_thread`) on the same request thread. Before the erasure went through a
connection of vfa's own it went through the saver's, and succeeded. Now vfa's connection waits for the write lock
that this very thread holds: `delete_thread` hung 30 s (the thread's lock held meanwhile, so its calls were
refused as in flight), then raised a bare `sqlite3.OperationalError: database is locked` naming no file and no fix.
It must end within sqlite3's usual wait (5 s, as the saver's own connection waited before) with a `VfaError`
naming the checkpoint file, and leave the journal's entries (the erasure can be run again).

Fixed: the erasure waits 5 s for the file's write lock, and a failure is a JournalError naming the file, the
journal kept.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, VfaError, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def test_a_locked_checkpoint_file_refuses_the_erasure_soon_and_clearly(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal, \
            SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
        agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
        saver.conn.execute("CREATE TABLE app (x)")
        saver.conn.commit()
        saver.conn.execute("INSERT INTO app VALUES (1)")  # the app's write, not yet committed: the file's write lock
        assert saver.conn.in_transaction

        outcome: dict[str, Any] = {}

        def erase() -> None:
            try:
                outcome["deleted"] = agent.delete_thread("t")
            except BaseException as exc:  # noqa: BLE001 (the outcome is what is judged)
                outcome["error"] = exc

        worker = threading.Thread(target=erase, daemon=True)
        started = time.monotonic()
        worker.start()
        worker.join(10)
        took = time.monotonic() - started
        done = not worker.is_alive()
        saver.conn.rollback()  # the app's write undone: a hung erasure goes on, past this test
        worker.join(60)
        assert done, f"delete_thread still waiting after {took:.0f} s"
        error = outcome.get("error")
        assert isinstance(error, VfaError), f"not a clear error: {type(error).__name__}: {error}"
        assert "cp.db" in str(error), str(error)
        assert list(journal.entries("t")), "the journal's entries went though the checkpoints were kept"
