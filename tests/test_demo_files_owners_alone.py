"""`vfa demo`'s checkpoints file is its owner's alone, as its journal is.

The checkpoints hold the thread's messages, what every tool returned among them: the same private values
in clear as the journal, which is made mode 0600 for that reason. The demo let SQLite create
`checkpoints.db`, so under the usual umask 022 it (and its -wal / -shm files) was 0644: readable by every
account on the host.

Fixed: the demo makes `checkpoints.db` with mode 0600 first (`owners_file`, as the journal does); SQLite gives
its companions the same mode. So are its ledger (`paid` holds what each payment returned) and its trace
(spans hold verdicts' evidence, argument values among them), which were 0644 too.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path


def test_the_demos_checkpoints_and_journal_are_the_owners_alone(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                         preexec_fn=lambda: os.umask(0o022))
    assert run.returncode == 0, run.stderr
    made = [p for name in ("checkpoints.db", "journal.db", "ledger.json", "trace.jsonl")
            for p in (tmp_path / "out").glob(name + "*")]
    assert {p.name for p in made} >= {"checkpoints.db", "journal.db", "ledger.json", "trace.jsonl"}, made
    shared = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made if p.stat().st_mode & 0o077}
    assert not shared, f"readable by other accounts: {shared}"
