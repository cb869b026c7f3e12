"""`vfa journal` on a damaged journal says so in one line (exit 2), or prints the rows it can read.

Fixed: only the open was guarded, so a journal whose table page was torn (found when its rows were
read) or whose row held data that is not JSON ended in a traceback with exit code 1. A damaged page
now ends in one "vfa journal:" line and exit 2; a damaged row is shown as one that cannot be read.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]


def _vfa_journal(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "vfa", "journal", str(path)], capture_output=True, text=True,
                          timeout=60, env=env, cwd=str(path.parent))


def _journal_with_entries(path: Path) -> None:
    j = EffectJournal(path)
    for i in range(40):
        j.append([("t", f"c{i}", "pay", "proposed", {"args": {"to": "bob", "amount": i, "memo": "x" * 200}})])
    j.close()


def test_a_damaged_table_page_is_refused_with_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "journal.db"
    _journal_with_entries(path)
    db = sqlite3.connect(path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'journal'").fetchone()
    (size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with open(path, "r+b") as f:  # the table's root page torn: its cell pointers are garbage
        f.seek((root - 1) * size + 8)
        f.write(b"\xff" * 200)
    done = _vfa_journal(path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2 and done.stderr.startswith("vfa journal:"), (done.returncode, done.stderr)


def test_a_row_whose_data_is_not_json_is_refused_with_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "journal.db"
    _journal_with_entries(path)
    db = sqlite3.connect(path)  # a row written by a foreign or broken writer: INSERT is what the journal allows
    db.execute("INSERT INTO journal (ts, thread_id, call_id, tool, kind, data) VALUES (0, 't', 'cx', 'pay', "
               "'committed', '{not json')")
    db.commit()
    db.close()
    done = _vfa_journal(path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "(an entry that cannot be read: JournalError" in done.stdout and "JSONDecodeError" in done.stdout, done.stdout
