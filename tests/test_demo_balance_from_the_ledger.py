"""`vfa demo` prints the balance its ledger file holds, not the one its process last read.

A person runs `vfa demo` at a terminal and leaves it at its question; a second `vfa demo
--yes` on the same folder answers it and pays bob (the ledger: 90). The person then answers at the
first terminal: nothing is left to pay, the model's words say bob was paid, yet the first run printed
"balance now 100", the balance its process had read before the other run paid, while the ledger says
90. The line after a run reports the world as it is, as the "already ran" report does (it reads the
file).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a terminal (pty)")


def _read_until(stream, token: str, limit_s: float = 60) -> str:
    seen = ""
    end = time.monotonic() + limit_s
    while token not in seen and time.monotonic() < end:
        ready, _, _ = select.select([stream], [], [], 0.5)
        if ready:
            chunk = os.read(stream.fileno(), 4096).decode()
            if not chunk:
                break
            seen += chunk
    return seen


def test_the_balance_printed_is_the_ledgers_after_another_run_paid(tmp_path):
    leader, follower = os.openpty()  # the first run's stdin is a terminal: it asks the person
    first = subprocess.Popen([sys.executable, "-m", "vfa", "demo", "--dir", "out"], cwd=tmp_path, stdin=follower,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(follower)
    try:
        shown = _read_until(first.stdout, "approve / reject?")
        assert "approve / reject?" in shown, shown
        other = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
        assert other.returncode == 0 and "balance now 90" in other.stdout, (other.stdout, other.stderr)
        os.write(leader, b"approve\n")
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
        os.close(leader)
    assert first.returncode == 0, err.decode()
    ledger = json.loads((tmp_path / "out" / "ledger.json").read_text())["balance"]
    assert ledger == 90
    assert f"balance now {ledger}" in out.decode(), out.decode()[-600:]
