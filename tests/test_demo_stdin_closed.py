"""`vfa demo` run with its standard input closed rejects the question, as with no terminal.

README: "with no terminal and no `--yes` it is rejected: only a person approves". A demo
started with file descriptor 0 closed (`vfa demo <&-`, a service manager or a job runner that closes
stdin) has `sys.stdin` set to None by Python; at the question `_answer` called `sys.stdin.isatty()` and
the demo ended in an `AttributeError` traceback (exit 1) instead of rejecting the question.

What must hold: no terminal of any kind (a closed stdin included) and no `--yes` rejects the question,
the run ends normally (exit 0) with no traceback, and nothing is journaled as a person's approval.

Fixed: a missing stdin counts as no terminal: the question is rejected.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]


def test_a_demo_with_stdin_closed_rejects_its_question_without_a_traceback(tmp_path):
    proc = subprocess.run(["sh", "-c", 'exec "$0" -m vfa demo --dir out <&-', sys.executable], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in proc.stderr, proc.stderr[-600:]
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-600:])
    assert "person answers: reject" in proc.stdout, proc.stdout[-600:]
    journal = EffectJournal(tmp_path / "out" / "journal.db", read_only="snapshot")
    kinds = [e.kind for e in journal.entries("demo")]
    assert "rejected" in kinds and "approved" not in kinds, kinds
