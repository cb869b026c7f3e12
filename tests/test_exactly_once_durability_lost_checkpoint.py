"""Red team 149: exactly-once across a process crash held only under `durability="sync"`.

Under LangGraph's default durability ("async") and under "exit", the checkpoint holding the model's
turn may not be saved when the effect begins: "exit" saves nothing until the run ends, "async" saves
while the next step already runs. Killed inside the effect, the process leaves the journal a
write-ahead record of a transfer that may or may not have happened, and no checkpoint holding its call.
The client then does what it can: the thread has no step to resume, so the user's message is sent again;
the model (as a real LLM does) proposes the transfer again under a fresh call id, and the guard node,
which knows a commit only by (thread, call id), pays bob a second time without asking anyone, though
its journal on the same thread holds the cut-off start of the same transfer. Under "sync" the same
crash is recovered as the README says (a person is asked). The README promises that an effect cut off
by a crash is re-run only if idempotent or a person says so, and says nothing of durability modes:
the default mode doubles a payment.

Fixed: the guard node asks a person before it runs an effect when the journal holds a start of the same
tool on the thread that a crash cut off and whose call the state's messages do not hold (`GuardNode._lost`,
`EffectJournal.cut_off`); the answer ends that start, so later calls are not asked about it again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("_durability_child.py")


def _child(workdir: Path, mode: str, durability: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHILD), str(workdir), mode, durability], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())


def _ledger(workdir: Path) -> list[str]:
    path = workdir / "ledger.txt"
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize("durability", ["exit", "async", "sync"])
def test_a_transfer_cut_off_by_a_crash_is_not_paid_again_without_a_person(tmp_path: Path, durability: str) -> None:
    crashed = _child(tmp_path, "crash", durability)
    assert crashed.returncode == -9, crashed.stderr
    assert _ledger(tmp_path) == ["bob 7"]
    again = _child(tmp_path, "again", durability)
    assert again.returncode == 0, again.stderr
    out = json.loads(again.stdout.strip().splitlines()[-1])
    # the transfer may have happened: it is not made again unless a person says so (or it is refused)
    assert _ledger(tmp_path) == ["bob 7"], f"paid twice under durability={durability!r}: {out}"


@pytest.mark.parametrize("answer,paid", [("approve", ["bob 7", "bob 7"]), ("reject", ["bob 7"])])
def test_the_question_about_a_lost_start_is_answered_once(tmp_path: Path, answer: str, paid: list[str]) -> None:
    assert _child(tmp_path, "crash", "exit").returncode == -9
    asked = json.loads(_child(tmp_path, "again", "exit").stdout.strip().splitlines()[-1])
    assert asked["interrupt"] == ["journal"] and _ledger(tmp_path) == ["bob 7"]
    answered = _child(tmp_path, answer, "exit")
    assert answered.returncode == 0, answered.stderr
    assert _ledger(tmp_path) == paid
    # the person answered about the cut-off start: the next transfer the user asks for runs unasked
    later = json.loads(_child(tmp_path, "again", "exit").stdout.strip().splitlines()[-1])
    assert later["interrupt"] == [] and _ledger(tmp_path) == [*paid, "bob 7"], later
