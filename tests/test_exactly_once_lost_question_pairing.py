"""Red team 150: the question about a start cut off by a crash is put to whichever call of the tool comes
first, and its answer ends that start, so the call that really repeats it runs unasked.

Under "exit" durability the model's turn [transfer to bob, transfer to alice] is cut off inside bob's
effect (alice never ran). Asked again, the model proposes the same two transfers in the other order
(an LLM's order is not fixed). The guard asks about bob's cut-off start at alice's call ("transfer to
bob started ... Approve to run transfer to alice now"); the person approves alice, rightly (alice was
never paid), and that answer ends bob's start; bob's call then runs without a question: bob is paid
twice, and no person was ever asked about paying him again. The README: the call "runs only if
approved"; here the call that may repeat the lost effect was never put to anyone.

Fixed: a cut-off start is not asked about at a call whose arguments differ from it when another call of
the same turn writes it again word for word (`GuardNode._lost`): that call is asked.
"""

from __future__ import annotations

from pathlib import Path

from _lost_checkpoint import child, ledger


def test_the_call_that_repeats_a_lost_start_is_put_to_a_person(tmp_path: Path) -> None:
    child(tmp_path, "crash", "exit", "bob,alice", kill_on="bob")
    assert ledger(tmp_path) == ["bob 7"]
    asked = child(tmp_path, "again", "exit", "alice,bob")
    # alice, never paid and no repeat of the lost start, runs; bob's call, which writes it again, is asked
    assert asked["interrupt"] == ["journal"] and ledger(tmp_path) == ["bob 7", "alice 7"], asked
    out = child(tmp_path, "reject", "exit", "alice,bob")  # the person knows bob was paid
    assert ledger(tmp_path) == ["bob 7", "alice 7"], f"bob paid again: {out}"
