"""`vfa demo` and `vfa journal` end in a traceback when standard output cannot encode what they print.

Red team 154. Both print latency as "µs", and the journal prints what a model and its tools wrote
(any Unicode). With an output encoding that lacks a character (`PYTHONIOENCODING=ascii`, or a C locale
with `PYTHONUTF8=0`, as in many containers and cron jobs), the first such line raises
`UnicodeEncodeError`: `vfa journal` prints a traceback and exits 1 halfway, and `vfa demo` stops midway
(after its first step) with a traceback instead of its run. A character the output cannot show should
be written as its escape, as `printable` already does for control characters.

Fixed: `vfa.cli.main` has standard output and error write what they cannot encode as escapes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vfa import EffectJournal

ENVS = {"ascii": {"PYTHONIOENCODING": "ascii"}, "c-locale": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}}

ROOT = Path(__file__).resolve().parents[1]


def vfa(*args: str, cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})


@pytest.mark.parametrize("env", ENVS.values(), ids=ENVS.keys())
def test_the_demo_runs_whatever_the_output_encoding(tmp_path, env):
    proc = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path, env=env)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-400:]
    assert proc.returncode == 0 and b"balance now 90" in proc.stdout


@pytest.mark.parametrize("env", ENVS.values(), ids=ENVS.keys())
def test_the_journal_prints_whatever_the_output_encoding(tmp_path, env):
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c1", "pay", "proposed", {"args": {"to": "Zoë", "memo": "café ☕"}})])
    journal.close()
    proc = vfa("journal", "journal.db", cwd=tmp_path, env=env)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-400:]
    assert proc.returncode == 0 and b"propose   pay(" in proc.stdout and b"Zo" in proc.stdout
