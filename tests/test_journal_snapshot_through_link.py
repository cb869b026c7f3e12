"""`vfa journal` through a symbolic link reads a live journal with its write-ahead log, as by its own path.

Fixed: the snapshot read looked for the log beside the path as given, but connected to the resolved
file, beside which SQLite keeps it: through a link no log was found, the file was opened immutable, and
every entry a writer had committed since its last checkpoint was silently missing (a young journal
whose schema was still in the log was refused as no vfa journal). The path is now resolved first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]


def _entry(i: int) -> tuple:
    return ("t", f"c{i}", "pay", "proposed", {"args": {"to": "bob", "amount": i}})


def test_a_snapshot_through_a_link_sees_every_entry_a_live_writer_committed(tmp_path):
    real = tmp_path / "runs" / "journal.db"
    first = EffectJournal(real)
    first.append([_entry(1)])
    first.close()  # checkpointed: entry 1 is in the main file
    writer = EffectJournal(real)  # a live agent: its next entries sit in the write-ahead log
    writer.append([_entry(2)])
    writer.append([_entry(3)])
    link = tmp_path / "current.db"
    link.symlink_to(real)

    assert [e.call_id for e in EffectJournal(real, read_only="snapshot").entries()] == ["c1", "c2", "c3"]
    seen = [e.call_id for e in EffectJournal(link, read_only="snapshot").entries()]
    assert seen == ["c1", "c2", "c3"], f"through the link the snapshot shows only {seen}"

    done = subprocess.run([sys.executable, "-m", "vfa", "journal", str(link)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and "[c3]" in done.stdout, (done.stdout, done.stderr)
    writer.close()


def test_a_young_live_journal_through_a_link_is_not_called_foreign(tmp_path):
    real = tmp_path / "runs" / "journal.db"
    writer = EffectJournal(real)
    writer.append([_entry(1)])
    link = tmp_path / "current.db"
    link.symlink_to(real)
    done = subprocess.run([sys.executable, "-m", "vfa", "journal", str(link)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and "[c1]" in done.stdout, (done.returncode, done.stderr)
    writer.close()
