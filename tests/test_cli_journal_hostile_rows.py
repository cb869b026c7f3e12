"""`vfa journal` and `vfa demo` end in a traceback on a journal row of a type vfa never writes.

Red team 154. The journal's table accepts any INSERT (the triggers stop updates and deletes only), and
SQLite keeps a value's own type whatever the column's: a row written by a broken or foreign writer can
hold a BLOB thread id, or data that is JSON but no object. `vfa journal` prints a damaged row as one that
cannot be read and goes on (README; `tests/test_cli_journal_damaged_rows.py`), yet a BLOB thread id
reaches `printable` outside that guard: `TypeError: cannot use a string pattern on a bytes-like object`,
exit 1. `vfa demo` going on with a thread whose write-ahead record is `[1]` (JSON, no object) ends in
`AttributeError: 'list' object has no attribute 'get'` inside the guard node, exit 1, where a journal it
cannot read is a `JournalError` naming the file (exit 2).

Fixed: `vfa journal` prints a thread id that is no text by its repr; `JournalEntry.data` raises
`JournalError` naming the row for data that is no JSON object, which the demo reports with its file (exit 2).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]


def vfa(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _insert(path: Path, *row) -> None:
    db = sqlite3.connect(path)
    db.execute("INSERT INTO journal (ts, thread_id, call_id, tool, kind, data) VALUES (?, ?, ?, ?, ?, ?)", row)
    db.commit()
    db.close()


def test_a_row_whose_thread_id_is_a_blob_is_printed_as_damaged_not_a_traceback(tmp_path):
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c1", "pay", "proposed", {"args": {"to": "bob"}})])
    journal.close()
    _insert(tmp_path / "journal.db", 0, b"\xff\xfe", "c2", "pay", "proposed", "{}")
    proc = vfa("journal", "journal.db", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-400:]
    assert proc.returncode in (0, 2) and "pay(to='bob')" in proc.stdout + proc.stderr, (proc.stdout, proc.stderr)


def test_the_demo_on_a_journal_row_that_is_no_object_names_the_journal(tmp_path):
    (tmp_path / "out").mkdir()
    EffectJournal(tmp_path / "out" / "journal.db").close()
    # the rent's write-ahead record, as a broken writer left it: JSON, but no object
    _insert(tmp_path / "out" / "journal.db", 0, "demo", "call_1_0", "transfer", "started", "[1]")
    proc = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-400:]
    assert proc.returncode == 2 and "journal.db" in proc.stderr, (proc.returncode, proc.stderr)
