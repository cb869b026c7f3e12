"""`vfa demo` killed inside a payment the person had approved, then run again, asks nothing twice.

The README: a thread "killed inside a payment" goes on from there ("the payment, declared idempotent, is run
again and answers as it did, paying nothing twice"); docs/kernel.md: an effect that started but never
recorded a result "is verified again and re-run only if declared `@effect(idempotent=True)`, otherwise a person
is asked". The demo's payment to bob is a new payee's: `new_payee` asks, the person approves, the payment
starts, and the run is killed before the ledger is saved. Run again with `--yes`, the thread's question is
put again (LangGraph lost the answer with the step) and approved; then the journal asked "it may or may not
have happened. Approve to run it again" about the idempotent transfer, and then `new_payee`'s question a
third time (after the journal's, it no longer found the answer it had): three questions for one payment the
person had approved once. With no one at a terminal, the journal's question was rejected and the approved
payment was never made ("Stopped: transfer was rejected by a person"), though the only answer journaled for it
was the approval.

What must hold: run again, the idempotent payment is not the subject of "may or may not have happened", the
person is asked about bob no more than once in that run, and bob is paid once (balance 90).

Fixed: GuardNode._recover asks an idempotent effect's guards' questions only (one answered before the crash
found answered); the journal's question is for a non-idempotent effect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# the demo, killed (SIGKILL) inside the payment to bob (approved by `--yes`), before its ledger is saved
KILLED = """
import os, signal, sys
from vfa import _demo
save = _demo.Ledger.save
def killing_save(self):
    if "bob" in self.payees:
        os.kill(os.getpid(), signal.SIGKILL)
    save(self)
_demo.Ledger.save = killing_save
from vfa.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(*args: str, cwd: Path, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "vfa", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("answer", [["--yes"], []], ids=["yes", "no-terminal"])
def test_a_payment_killed_after_its_approval_is_run_again_without_asking_again(tmp_path, answer):
    killed = run("demo", "--dir", "out", "--yes", cwd=tmp_path, code=KILLED)
    assert killed.returncode == -9, killed.stdout[-1500:] + killed.stderr[-500:]
    assert json.loads((tmp_path / "out" / "ledger.json").read_text())["balance"] == 100  # bob not paid yet
    again = run("demo", "--dir", "out", *answer, cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-500:]
    assert "may or may not have happened" not in again.stdout, again.stdout[-2500:]
    assert again.stdout.count("? person asked: 'bob' is a new payee") <= 1, again.stdout[-2500:]
    assert json.loads((tmp_path / "out" / "ledger.json").read_text())["balance"] == 90, again.stdout[-2500:]
    assert "sent 10 to bob" in again.stdout.split("model:")[-1], again.stdout[-1000:]
