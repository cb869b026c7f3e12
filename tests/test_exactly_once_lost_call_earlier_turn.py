"""Red team 150: under "sync" durability, a transfer cut off by a crash is paid again unasked when the
client sends the user's message again instead of resuming.

The saved checkpoint holds the model's turn with the cut-off call, so the lost-checkpoint rule skips it
("its own replay recovers it"). But a chat client that does not resume (it sends the user's message
again, as it would after any failed request) starts a new turn: the old call stays in the messages, in a
turn that will never run again, and the model's new call of the same transfer runs without a question:
bob is paid twice. Only the calls of the turn the state ends with are ever replayed (the node runs the
last AIMessage's calls), so a cut-off start of an earlier turn is as lost as one no checkpoint kept.

Fixed: only the calls of the turn the state's messages end with count as held (`_turn_calls`): a cut-off
start of an earlier turn is asked about.
"""

from __future__ import annotations

from pathlib import Path

from _lost_checkpoint import child, ledger


def test_a_transfer_cut_off_is_not_paid_again_unasked_in_a_new_turn(tmp_path: Path) -> None:
    child(tmp_path, "crash", "sync")
    assert ledger(tmp_path) == ["bob 7"]
    out = child(tmp_path, "new", "sync")  # the user's message again, not a resume
    assert ledger(tmp_path) == ["bob 7"], f"paid twice: {out}"
    assert out["interrupt"] == ["journal"], out
