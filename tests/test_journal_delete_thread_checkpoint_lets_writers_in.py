"""Erasing a thread while a reader holds a read transaction never makes other threads' commits fail.

What must hold (docs/kernel.md "Erasing a thread": "a connection holding a read transaction at that moment (a
backup) keeps the log's copy of the pages until the next checkpoint", a stated limit for the erased bytes;
house rule: a deletion does not make other threads' commits fail): while an audit, a backup or another
replica holds a read transaction on the journal file, `EffectJournal.delete_thread` still deletes the
thread, and a commit of another thread on another connection that began waiting for the write lock while
the deletion ran is written, not refused with "database is locked".

Before: the deletion's `PRAGMA wal_checkpoint(TRUNCATE)` takes the file's write lock, then waits the whole
busy timeout (5 s) for the reader to leave its snapshot, holding that lock; a writer already waiting for
the deletion's transaction waited longer than its own busy timeout and failed (`JournalError: database
is locked`), its entry lost.

Fixed: the log's checkpoint is tried again every 20 ms with no busy wait, for up to the busy timeout, so
between tries the write lock is free.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from vfa import EffectJournal


def test_a_reader_held_snapshot_does_not_make_other_commits_fail(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with EffectJournal(path) as journal, EffectJournal(path) as other:
        journal.append([("gone", f"c{i}", "lookup", "committed", {"result": "x" * 3000}) for i in range(50)])
        other.append([("live", "c0", "lookup", "committed", {"result": "ok"})])

        reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # an audit, a backup: a read held
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM journal").fetchone()

        outcome: dict[str, object] = {}
        waiting = threading.Event()

        def commit_on_another_thread() -> None:
            waiting.set()
            started = time.perf_counter()
            try:
                other.append([("live", "c1", "lookup", "committed", {"result": "ok"})])
                outcome["result"] = "written"
            except Exception as exc:  # noqa: BLE001 - what the writer was told is the finding
                outcome["result"] = repr(exc)
            outcome["waited"] = time.perf_counter() - started
            reader.execute("COMMIT")  # the audit ends: the deletion's checkpoint, tried again, then finishes

        writer = threading.Thread(target=commit_on_another_thread)

        def trace(sql: str) -> None:
            # the other commit starts waiting while the deletion's transaction holds the write lock
            if sql.startswith("DELETE FROM journal") and not writer.is_alive():
                writer.start()
                waiting.wait()
                time.sleep(0.3)

        journal._db.set_trace_callback(trace)
        try:
            started = time.perf_counter()
            assert journal.delete_thread("gone") == 50
            took = time.perf_counter() - started
        finally:
            journal._db.set_trace_callback(None)
            writer.join(timeout=30)
            if reader.in_transaction:
                reader.execute("COMMIT")
            reader.close()

        assert outcome.get("result") == "written", (outcome, f"deletion took {took:.2f} s")
        assert [e.call_id for e in other.entries("live")] == ["c0", "c1"]
        assert journal.entries("gone") == []
        triggers = {n for (n,) in journal._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert triggers == {"journal_no_update", "journal_no_delete"}
