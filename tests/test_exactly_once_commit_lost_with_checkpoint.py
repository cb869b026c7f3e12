"""Red team 150: a transfer that committed, then lost with its checkpoint, is paid again without a person.

The lost-checkpoint rule (`GuardNode._lost`) asks a person only about a start a crash cut off inside the
effect. Under LangGraph's default durability ("async") and under "exit", a crash a moment after the
effect committed (here: in the model's next step, while the slow checkpointer has not yet saved the
model's turn) loses the call just the same: the client has no step to resume, sends the user's message
again, the model proposes the transfer under a fresh id, and the journal, which holds the committed
transfer of the same tool on the thread, lets it run unasked: bob is paid twice. The README promises an
effect is run once per call; the crash window it closed (inside the effect) is milliseconds wide, the one
left open (between the commit and the saved checkpoint) is as wide as the checkpointer's write.

Not fixed: a known limit the README states under "Exactly-once effects" (use durability="sync" for effects
that must not repeat). Telling a commit lost with its checkpoint from one a summariser trimmed needs the
journal's order of the calls the state holds; pinned here as an expected failure, strict, so a fix shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _lost_checkpoint import child, ledger


@pytest.mark.xfail(strict=True, reason="known limit: a commit lost with its checkpoint is not recognised (README)")
@pytest.mark.parametrize("durability", ["exit", "async"])
def test_a_transfer_committed_then_lost_with_its_checkpoint_is_not_paid_again_unasked(tmp_path: Path,
                                                                                        durability: str) -> None:
    child(tmp_path, "after", durability)
    assert ledger(tmp_path) == ["bob 7"]
    out = child(tmp_path, "again", durability)
    # bob was paid: paying him again needs a person's word (as for a start cut off inside the effect)
    assert ledger(tmp_path) == ["bob 7"], f"paid twice under durability={durability!r}: {out}"
    assert out["interrupt"] == ["journal"], out
