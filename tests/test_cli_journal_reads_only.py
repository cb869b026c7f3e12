"""Red team 78: `vfa journal PATH` writes into the file it was asked to print, and reports no error for a non-journal.

`vfa journal` is a reader, yet `vfa/cli.py` `_journal` opens the file with `EffectJournal(path)`,
whose constructor (`vfa/_journal.py` `EffectJournal.__init__`) switches it to WAL and runs the
journal's schema script (`CREATE TABLE ... journal`, its indexes and triggers). Pointed at any other
SQLite file (the app's database, the checkpoint file `vfa demo` writes beside the journal), it adds
vfa's tables and triggers to that database and changes its journal mode, then prints nothing and
exits 0, as if it were an empty journal. A file that is no database at all ends in a traceback
(`JournalError`) instead of the clear message a missing file gets (exit 2).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys


def vfa(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_printing_a_file_that_is_not_a_journal_leaves_it_alone_and_says_so(tmp_path):
    db = sqlite3.connect(tmp_path / "app.db")
    db.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    db.commit()
    db.close()
    before = (tmp_path / "app.db").read_bytes()

    proc = vfa("journal", "app.db", cwd=tmp_path)

    db = sqlite3.connect(tmp_path / "app.db")
    tables = sorted(n for (n,) in db.execute("SELECT name FROM sqlite_master"))
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    db.close()
    assert tables == ["users"] and mode == "delete", f"vfa journal wrote {tables} into app.db (journal_mode {mode})"
    assert (tmp_path / "app.db").read_bytes() == before
    assert proc.returncode != 0 and "journal" in proc.stderr


def test_printing_a_file_that_is_no_database_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    proc = vfa("journal", "notes.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
