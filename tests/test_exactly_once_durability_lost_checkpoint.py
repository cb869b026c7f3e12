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

from pathlib import Path

import pytest
from _lost_checkpoint import child, ledger


@pytest.mark.parametrize("durability", ["exit", "async", "sync"])
def test_a_transfer_cut_off_by_a_crash_is_not_paid_again_without_a_person(tmp_path: Path, durability: str) -> None:
    child(tmp_path, "crash", durability)  # killed inside the effect (the child checks it was)
    assert ledger(tmp_path) == ["bob 7"]
    out = child(tmp_path, "again", durability)
    # the transfer may have happened: it is not made again unless a person says so (or it is refused)
    assert ledger(tmp_path) == ["bob 7"], f"paid twice under durability={durability!r}: {out}"


@pytest.mark.parametrize("answer,paid", [("approve", ["bob 7", "bob 7"]), ("reject", ["bob 7"])])
def test_the_question_about_a_lost_start_is_answered_once(tmp_path: Path, answer: str, paid: list[str]) -> None:
    child(tmp_path, "crash", "exit")
    asked = child(tmp_path, "again", "exit")
    assert asked["interrupt"] == ["journal"] and ledger(tmp_path) == ["bob 7"]
    child(tmp_path, answer, "exit")
    assert ledger(tmp_path) == paid
    # the person answered about the cut-off start: the next transfer the user asks for runs unasked
    later = child(tmp_path, "again", "exit")
    assert later["interrupt"] == [] and ledger(tmp_path) == [*paid, "bob 7"], later
