"""A collision denial names the obstacle group the obstacle is in, also after an empty group.

Wrong: `_obstacle_groups` leaves empty groups out of the list it returns, and `CollisionGuard`
reports the index in that shortened list as the evidence's `obstacle_group`. A world of
`{"walls": [], "posts": [[3, 0, 0.5]]}` (no walls in this room) that a path hits at post 0 is
denied with `obstacle_group=0, b=0`: walls[0], an obstacle that does not exist, while the
same world with one wall far away says group 1. Whoever reads the denial (an operator, a planner
that reroutes around the obstacle) is pointed at the wrong group. As a list, `[[], posts]` is read
as one group of rows (an empty list passes for a row) and refused with numpy's "inhomogeneous
shape". Expected: the group's index as declared, empty groups counted.

Fixed: an empty obstacle group keeps its index (a placeholder skipped when checking); an empty list is an
empty group, not a row.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import CollisionGuard
from vfa import Deny, GuardContext, Proposal

POSTS = np.array([[3.0, 0.0, 0.5]])


@pytest.mark.parametrize("walls", [[], np.zeros((0, 4)), [[100.0, 100.0, 101.0, 101.0]]],
                         ids=["empty list", "empty array", "one far wall"])
@pytest.mark.parametrize("as_mapping", [True, False], ids=["mapping", "list"])
def test_obstacle_group_is_the_declared_index(walls, as_mapping):
    obstacles = {"walls": walls, "posts": POSTS} if as_mapping else [walls, POSTS]
    guard = CollisionGuard(body=0.5, allow_no_start=True)
    verdict = guard.check(Proposal(call_id="c", tool="move", args={"waypoints": [[0.0, 0.0], [6.0, 0.0]]}),
                          GuardContext(world={"obstacles": obstacles}))
    assert isinstance(verdict, Deny)
    ev = verdict.evidence
    assert (ev["obstacle_group"], ev["b"], ev["obstacle_kind"]) == (1, 0, "circle"), ev
