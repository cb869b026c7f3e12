"""`vfa demo` refuses another app's table named `journal`, yet rewrites that app's database first.

Red team 154. The README says a file of the demo's folder that cannot be used is named in an error
"and left as it was", and that another app's database with a table named `journal` is refused and left
as it was (`vfa journal`). A writable `EffectJournal` opened on such a database (`vfa demo --dir` a
folder whose `journal.db` is another app's, or `EffectJournal(path)` in an app) switches it to WAL
first (its header changes and a `-wal` and `-shm` file are left beside it) and only then fails to
create its index ("no such column: thread_id"): the other app's file is changed by a run that refused
it, and the error does not say the table is another app's.

Fixed: `EffectJournal` checks a `journal` table's columns before switching the file to WAL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from vfa import EffectJournal, JournalError

ROOT = Path(__file__).resolve().parents[1]


def _foreign(path: Path) -> bytes:
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE journal (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO journal VALUES (1, 'mine');")
    db.commit()
    db.close()
    return path.read_bytes()


def test_vfa_demo_on_another_apps_journal_table_says_so_and_leaves_it_as_it_was(tmp_path):
    (tmp_path / "out").mkdir()
    before = _foreign(tmp_path / "out" / "journal.db")
    proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2 and "journal.db" in proc.stderr, (proc.returncode, proc.stderr)
    assert (tmp_path / "out" / "journal.db").read_bytes() == before, "the other app's database was changed"
    assert not (tmp_path / "out" / "journal.db-wal").exists() and not (tmp_path / "out" / "journal.db-shm").exists()


def test_a_journal_opened_on_another_apps_journal_table_is_refused_untouched(tmp_path):
    before = _foreign(tmp_path / "app.db")
    with pytest.raises(JournalError, match="journal"):
        EffectJournal(tmp_path / "app.db")
    assert (tmp_path / "app.db").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]
