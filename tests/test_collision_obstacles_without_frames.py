"""A moving obstacle group with no frames is refused, not read as no obstacles.

`CollisionGuard` takes an empty array as an empty group (no contact). But an array of shape
`(0, n, 4|3)` is not empty of obstacles: it declares n boxes or circles whose positions are given at
no frame (a predictor's horizon of zero length, a slice off the end of a recording). `first_contact`
refuses it ("a group needs at least one frame"); the guard read it as no obstacles and allowed a motion
straight through where they are.

What must hold: such a group is a `SceneError` naming it (the chain's deny), while `(k, 0, 4|3)`,
`(0, 4|3)` and `[]` (no obstacles at all) stay empty groups.

Fixed: CollisionGuard refuses a moving group of shape (0, n, 4|3) with a SceneError naming it, as
first_contact does.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import CollisionGuard, SceneError
from vfa import GuardContext, Proposal

GUARD = CollisionGuard(body=(1.0, 1.0), start=lambda p, c: (0.0, 0.0))
MOVE = Proposal(call_id="c", tool="move", args={"waypoints": [[10.0, 0.0]]})


@pytest.mark.parametrize("obstacles", [np.zeros((0, 3, 4)), np.zeros((0, 2, 3)), [np.zeros((0, 1, 4))],
                                       {"posts": np.zeros((0, 5, 3))}])
def test_obstacles_with_no_frames_are_refused(obstacles) -> None:
    with pytest.raises(SceneError, match="frame"):
        GUARD.check(MOVE, GuardContext(world={"obstacles": obstacles}))


@pytest.mark.parametrize("obstacles", [np.zeros((4, 0, 4)), np.zeros((0, 4)), np.zeros((0, 0, 3)), [], [[]]])
def test_no_obstacles_at_all_is_still_clear(obstacles) -> None:
    assert GUARD.check(MOVE, GuardContext(world={"obstacles": obstacles})).kind == "allow"
