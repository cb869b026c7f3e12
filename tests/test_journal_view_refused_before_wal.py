"""`EffectJournal` opened on a database whose `journal` is another app's view switches the file to WAL before
it refuses it.

Red team 154's fix (`EffectJournal._open`) reads `PRAGMA table_info(journal)` and refuses a table of that name
with other columns "before the WAL switch changes its file". `table_info` reads a view alike: a view named
`journal` with vfa's column names passes the check, the file is switched to WAL (`PRAGMA journal_mode=WAL`,
which persists in the file), and only then does the schema script fail ("views may not be indexed"), raised as
`JournalError`. The other app's database is left in WAL mode (its readers now need write access to the folder
for the -shm file; tools that copy the file alone lose what is in the -wal).

Why it matters: bad input gets a clear error and nothing is changed; the fix's own message promises the
database is left as it was.

Expected: `JournalError` naming the view, and the database's journal mode as it was.

Fixed: `_open` also refuses a view or a virtual table named journal (read from `sqlite_master`) before the
WAL switch.
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError


def test_a_view_named_journal_is_refused_before_the_wal_switch(tmp_path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE events (seq, ts, thread_id, call_id, tool, kind, data)")
    db.execute("CREATE VIEW journal AS SELECT * FROM events")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="journal"):
        EffectJournal(path)
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "the other app's file was switched to WAL"
    finally:
        db.close()


def test_a_virtual_table_named_journal_is_refused_before_the_wal_switch(tmp_path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE VIRTUAL TABLE journal USING fts5(seq, ts, thread_id, call_id, tool, kind, data)")
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no FTS5")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="virtual table 'journal'"):
        EffectJournal(path)
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "the other app's file was switched to WAL"
    finally:
        db.close()


def test_control_a_vfa_journal_opens_again(tmp_path) -> None:
    path = tmp_path / "journal.db"
    EffectJournal(path).append([("t", "c", "x", "proposed", {"args": {}})])
    assert [e.kind for e in EffectJournal(path).entries("t")] == ["proposed"]
