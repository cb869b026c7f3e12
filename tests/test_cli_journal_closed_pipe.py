"""`vfa journal PATH | head` ends quietly when the reader has seen enough.

Fixed: the printout ended in a BrokenPipeError traceback once its reader closed the pipe.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]


def test_a_closed_pipe_ends_the_printout_without_a_traceback(tmp_path):
    path = tmp_path / "journal.db"
    journal = EffectJournal(path)
    journal.append([("t", f"c{i}", "pay", "proposed", {"args": {"to": "bob", "amount": i}}) for i in range(5000)])
    journal.close()
    proc = subprocess.Popen([sys.executable, "-m", "vfa", "journal", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline() == b"thread t\n"
    proc.stdout.close()  # as `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == "", err
