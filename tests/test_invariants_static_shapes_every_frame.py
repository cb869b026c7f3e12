"""Two static shape channels stand as they are at every frame of a trace: their contact holds at every frame.

Fixed: `contact_frames` gives two static groups one entry, and `NoContact` and `contact(...)` read it as
frame 0 only, so under a `While` that is false at the start, or in a per-frame `contact(..., swept=False)`,
an overlap at every later frame went unreported.
"""

from __future__ import annotations

import numpy as np

from guards import Always, NoContact, Trace, TraceVerifier, While, check_trace, contact, state
from vfa import Deny, GuardContext, Proposal

PLAYER = np.array([[[0.0, 0.0, 1.0, 1.0]]])  # static, overlapping the wall at every frame
WALL = np.array([[[0.5, 0.0, 2.0, 1.0]]])


def _trace():
    return Trace(alive=np.array([0.0, 0.0, 1.0, 1.0, 1.0]), player=PLAYER, wall=WALL)


def test_while_nocontact_static_shapes_is_violated():
    """The player overlaps the wall at frames 2-4 while alive: the invariant is violated."""
    inv = While(state("alive") > 0, NoContact("player", "wall"))
    found = check_trace(_trace(), [inv])
    assert found, "a static overlap while alive (frames 2-4) was not reported"


def test_while_nocontact_discrete_static_shapes_is_violated():
    """Same with swept=False: the overlap at frames 2-4 is a violation."""
    inv = While(state("alive") > 0, NoContact("player", "wall", swept=False))
    found = check_trace(_trace(), [inv])
    assert found and found[0].frame == 2


def test_contact_expression_static_shapes_holds_at_every_frame():
    """contact(..., swept=False) is 1.0 at every frame where the shapes overlap, i.e. all 5 frames."""
    flags = contact("player", "wall", swept=False).evaluate(_trace())
    assert flags.tolist() == [1.0] * 5


def test_trace_verifier_denies_static_overlap_while_alive():
    """Through the guard: a recorded run whose player overlaps the wall while alive is denied."""
    verifier = TraceVerifier([Always(state("alive").implies(~contact("player", "wall", swept=False)))])
    proposal = Proposal(call_id="c", tool="ship", args={"trace": {
        "alive": [0.0, 1.0, 1.0], "player": PLAYER.tolist(), "wall": WALL.tolist()}})
    assert isinstance(verifier.check(proposal, GuardContext()), Deny)
