"""`vfa demo` killed inside a payment, then run again, pays it once and journals what happened.

The README: the demo "keeps its journal, checkpoints, ledger and trace" in its folder and,
"Run again, it does not pay twice". The demo's `transfer` saves the ledger file (the world) and only then
does the journal record `committed`. A run killed between the two (SIGKILL, a power cut, an OOM kill)
leaves a start with no outcome, and the next run asks "it may or may not have happened. Approve to run it
again": `--yes` approves it and the rent is paid a second time (300 -> 100 for the rent alone, alice then
denied); with no one at a terminal the question is rejected and the journal ends the rent `failed`
("left unfinished ... not run again") while the ledger shows it paid. The ledger can tell: its save is
atomic (a whole file replaced), so the payment and the key of the call that made it can be saved
together, and a payment run again under the same key is the same payment.

What must hold: killed right after the rent was saved, the run after it ends as an uncrashed run ends
(balance 90 with `--yes`), the rent's call has one outcome in the journal (of the kinds that end a call), `committed`, whatever the
person answers, and `vfa journal` reads the journal; killed inside the payment before anything was
saved, the rent is still paid, once.

Fixed: the ledger saves each payment keyed by its thread and call with the balance it changed, and transfer is
declared idempotent: run again, it answers as the payment did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal
from vfa._journal import TERMINAL

ROOT = Path(__file__).resolve().parents[1]

# the demo, killed (SIGKILL) where the ledger is saved for the first time (the rent): before or after the save
KILLED = """
import os, signal, sys
from vfa import _demo
where = sys.argv[1]
save = _demo.Ledger.save
def killing_save(self):
    if where == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    save(self)
    os.kill(os.getpid(), signal.SIGKILL)
_demo.Ledger.save = killing_save
from vfa.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run(*args: str, cwd: Path, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "vfa", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def balance(folder: Path) -> int:
    return json.loads((folder / "ledger.json").read_text())["balance"]


def rent_outcomes(folder: Path) -> list[str]:
    journal = EffectJournal(folder / "journal.db", read_only="snapshot")
    try:
        rent = [e.call_id for e in journal.entries("demo", kinds=["proposed"])
                if e.tool == "transfer" and e.data["args"].get("memo") == "rent"]
        assert len(rent) == 1, rent
        return [e.kind for e in journal.entries("demo", call_id=rent[0]) if e.kind in TERMINAL]
    finally:
        journal.close()


def test_killed_after_the_rent_was_saved_the_next_run_does_not_pay_it_again(tmp_path):
    killed = run("after", "demo", "--dir", "out", "--yes", cwd=tmp_path, code=KILLED)
    assert killed.returncode == -9, killed.stderr[-500:]
    assert balance(tmp_path / "out") == 200  # the rent was paid; its outcome was never journaled
    again = run("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-500:]
    assert balance(tmp_path / "out") == 90, again.stdout[-1500:]  # as an uncrashed run: rent, alice 100, bob 10
    assert rent_outcomes(tmp_path / "out") == ["committed"]
    shown = run("journal", "out/journal.db", cwd=tmp_path)
    assert shown.returncode == 0 and shown.stdout.count('-> "sent 100 to landlord') == 1, shown.stdout[-2000:]


def test_killed_after_the_rent_was_saved_the_journal_says_it_was_paid_when_no_one_answers(tmp_path):
    assert run("after", "demo", "--dir", "out", cwd=tmp_path, code=KILLED).returncode == -9
    again = run("demo", "--dir", "out", cwd=tmp_path)  # no terminal, no --yes: every question is rejected
    assert again.returncode == 0, again.stderr[-500:]
    assert rent_outcomes(tmp_path / "out") == ["committed"], again.stdout[-1500:]
    assert balance(tmp_path / "out") == 100  # rent and alice's first part; bob, a new payee, rejected


def test_killed_inside_the_rent_before_it_was_saved_the_next_run_pays_it_once(tmp_path):
    assert run("before", "demo", "--dir", "out", "--yes", cwd=tmp_path, code=KILLED).returncode == -9
    assert not (tmp_path / "out" / "ledger.json").exists()  # nothing was paid
    again = run("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-500:]
    assert rent_outcomes(tmp_path / "out") == ["committed"], again.stdout[-1500:]
    assert balance(tmp_path / "out") == 90
