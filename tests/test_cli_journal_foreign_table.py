"""Red team 80: `vfa journal` on another app's database that has a table named `journal` switches that
database to WAL and ends in a traceback.

Red team 78 made `vfa journal PATH` check, read-only, that the file holds a vfa journal before opening
it (`vfa/cli.py` `_not_a_journal`). The check asks only whether a table named `journal` exists: a
diary app's, a CMS's or a bookkeeping database's own `journal` table passes it. Then `_journal` opens
the file with `EffectJournal(path)`, whose constructor (`vfa/_journal.py` `EffectJournal.__init__`)
runs `PRAGMA journal_mode=WAL` (a lasting change to the database file: it now needs its -wal/-shm
files, cannot be read from read-only media, and older readers refuse it) and then the schema script,
which fails on the foreign table's columns (`no such column: thread_id`): the user gets a traceback
of `JournalError` instead of the clear "not a vfa journal" message, and the app's database has been
changed by a command meant to print. (A foreign `journal` table whose columns happen to fit would
get vfa's append-only triggers too, and its app could no longer update or delete its rows.)

Root cause: `vfa/cli.py` `_not_a_journal` tells a vfa journal by its table's name alone, and `_journal`
reads it through the read-write `EffectJournal` constructor. Fix direction: check the table's columns
(seq, ts, thread_id, call_id, tool, kind, data) in the read-only probe, and read the entries through
a read-only connection (`mode=ro`) instead of `EffectJournal`.

Fixed: `vfa journal` reads through `EffectJournal(path, read_only=True)`, a `mode=ro` connection that
first checks the table's columns and vfa's append-only trigger.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys


def vfa(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_printing_another_apps_journal_table_leaves_the_database_alone_and_says_so(tmp_path):
    db = sqlite3.connect(tmp_path / "diary.db")
    db.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, day TEXT, entry TEXT)")
    db.execute("INSERT INTO journal (day, entry) VALUES ('monday', 'dear diary')")
    db.commit()
    db.close()
    before = (tmp_path / "diary.db").read_bytes()

    proc = vfa("journal", "diary.db", cwd=tmp_path)

    db = sqlite3.connect(tmp_path / "diary.db")
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    objects = sorted(n for (n,) in db.execute("SELECT name FROM sqlite_master"))
    db.close()
    assert mode == "delete" and objects == ["journal"], f"vfa journal changed diary.db: journal_mode {mode}, {objects}"
    assert (tmp_path / "diary.db").read_bytes() == before
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-300:]


def test_a_read_only_journal_reads_entries_and_refuses_writes(tmp_path):
    import pytest

    from vfa import EffectJournal, JournalError

    path = tmp_path / "journal.db"
    EffectJournal(path).append([("t", "c1", "pay", "proposed", {"args": {"to": "a"}})])
    before = path.read_bytes()
    ro = EffectJournal(path, read_only=True)
    assert [(e.call_id, e.kind) for e in ro.entries("t")] == [("c1", "proposed")]
    with pytest.raises(JournalError):
        ro.append([("t", "c2", "pay", "proposed", {})])
    with pytest.raises(JournalError, match="no journal file"):
        EffectJournal(tmp_path / "missing.db", read_only=True)
    assert path.read_bytes() == before and not (tmp_path / "missing.db").exists()
    proc = vfa("journal", "journal.db", cwd=tmp_path)
    assert proc.returncode == 0 and "thread t" in proc.stdout, proc.stderr
