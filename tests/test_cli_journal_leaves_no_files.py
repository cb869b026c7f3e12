"""Red team 82: `vfa journal` writes files beside the journal it prints.

A journal is in WAL mode; once its writer closes, SQLite removes its `-wal` and `-shm` files. `vfa
journal PATH` opens it with `mode=ro` (`vfa/_journal.py` `_read_only`), and a read-only connection to
a WAL database creates both files when they are missing, and leaves them: the reader writes into the
directory of the journal it audits (and, where it may not create them, as in a read-only copy kept
for an audit, it cannot read the journal at all). The README promises a reader that changes nothing.

Fixed: a journal with no write-ahead log beside it (no writer has it open) is read as immutable.
"""

from __future__ import annotations

import subprocess
import sys

from vfa import EffectJournal


def test_printing_a_closed_journal_leaves_its_directory_as_it_was(tmp_path):
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c1", "pay", "proposed", {"args": {"to": "bob"}})])
    journal.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert before == ["journal.db"]  # the writer removed its -wal and -shm on close (holds)
    data = (tmp_path / "journal.db").read_bytes()

    proc = subprocess.run([sys.executable, "-m", "vfa", "journal", "journal.db"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)

    assert proc.returncode == 0 and "pay" in proc.stdout, proc.stderr
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == before, f"vfa journal created {sorted(set(after) - set(before))} beside the journal it read"
    assert (tmp_path / "journal.db").read_bytes() == data
