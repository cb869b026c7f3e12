"""`vfa demo` refuses another app's database as its checkpoints, and leaves it as it was.

The README: "A file of the folder that is damaged or cannot be written is named in an
error, and left as it was"; the journal checks a `journal` table's columns before it
changes the file. The checkpoints file had no such check: with `checkpoints.db` another app's SQLite
database holding a table named `checkpoints` (or `writes`) of its own, `SqliteSaver` switched the file
to WAL and created its `writes` table in it (the file's bytes changed, a table added to the other
app's schema), and only then failed: "the checkpoints at out/checkpoints.db cannot be used (no such
column: thread_id)", not saying the table is another app's.

What must hold: the run stops (exit 2) naming checkpoints.db and the foreign table, pays nothing, and
the other app's file is byte for byte as it was, no -wal or -shm left beside it.

Fixed: vfa demo takes a read-only look at checkpoints.db before anything is opened (cli._foreign_checkpoints).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _foreign(path: Path, table: str) -> bytes:
    db = sqlite3.connect(path)
    db.executescript(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO {table} VALUES (1, 'mine');")
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("table", ["checkpoints", "writes"])
def test_vfa_demo_on_another_apps_checkpoints_table_says_so_and_leaves_it_as_it_was(tmp_path, table):
    out = tmp_path / "out"
    out.mkdir()
    before = _foreign(out / "checkpoints.db", table)
    proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and "checkpoints.db" in proc.stderr, (proc.returncode, proc.stderr)
    assert f"'{table}'" in proc.stderr, proc.stderr
    assert (out / "checkpoints.db").read_bytes() == before, "the other app's database was changed"
    assert not (out / "checkpoints.db-wal").exists() and not (out / "checkpoints.db-shm").exists()
    assert not (out / "ledger.json").exists(), "a payment ran"
