"""A journal opened while another process is making the same new file waits for it, as every write does.

Replicas (or a server's workers) started together on one journal path that does not exist yet each open
it: one makes the file and switches it to WAL while the others read it. `EffectJournal._open` ran
`PRAGMA journal_mode=WAL` once: SQLite answers a switch that meets another connection's write lock on a
file still in rollback mode with SQLITE_BUSY at once, without the connection's busy timeout (5 s) that
every other statement of the journal waits through, so the replica failed to start with
`JournalError: cannot open the journal at ...: database is locked` (four workers started together on a
new path hit it about once in a hundred starts; here another connection's write transaction on the new
file stands for the first replica's set-up, held for 0.3 s).

What must hold: opening waits for the other connection's write as long as a write would (the busy
timeout), then opens the journal; a lock held past that is still a `JournalError` naming the file.

Fixed: the WAL switch, the schema script and the version stamp wait out SQLITE_BUSY up to the busy timeout.
"""

from __future__ import annotations

import sqlite3
import threading

from vfa import EffectJournal


def test_a_journal_opened_while_another_connection_makes_the_file_waits_for_it(tmp_path) -> None:
    path = tmp_path / "journal.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the first replica's set-up, under way
    other.execute("CREATE TABLE IF NOT EXISTS setup_under_way (x)")
    other.execute("DROP TABLE setup_under_way")
    done = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    done.start()
    try:
        with EffectJournal(path) as journal:
            journal.append([("t", "c", "x", "proposed", {"args": {}})])
            assert [e.kind for e in journal.entries("t")] == ["proposed"]
    finally:
        done.join()
        other.close()
