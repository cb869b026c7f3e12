"""A CollisionGuard denial for bad input names the proposal's own waypoint, or the start, as it is.

With `start=`, the guard prepends the current position to the proposed waypoints and validated the
joined path, so its indices were one off: a NaN at the proposal's waypoint 0 was reported as "waypoint 1",
and a NaN start (the world's, not the model's) as "non-finite waypoint 0", telling the model to fix a
waypoint that is fine. A proposal of no waypoints ((0, 2)) was refused as "a path of 1 waypoint(s) and
no start", though a start was given. What must hold: each denial names what is wrong in the proposal's
own indexing (contacts already do: "waypoint 0", "the start").
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from guards import CollisionGuard, SceneError
from vfa import GuardContext, Proposal

WORLD = {"pos": (0.0, 0.0), "obstacles": [[4.0, -1.0, 5.0, 1.0]]}


def _guard() -> CollisionGuard:
    return CollisionGuard(body=(1.0, 1.0), start=lambda p, c: c.world["pos"])


def _shapes(waypoints, world=WORLD):
    return _guard().shapes(Proposal(call_id="c", tool="move", args={"waypoints": waypoints}), GuardContext(world=world))


def test_a_non_finite_waypoint_is_named_by_its_own_index() -> None:
    with pytest.raises(SceneError, match=r"waypoint 0\b"):
        _shapes([[math.nan, 0.0], [10.0, 0.0]])
    with pytest.raises(SceneError, match=r"waypoint 1\b"):
        _shapes([[1.0, 0.0], [math.inf, 0.0]])


def test_a_non_finite_start_is_named_as_the_start() -> None:
    with pytest.raises(SceneError, match="start") as info:
        _shapes([[1.0, 0.0]], {**WORLD, "pos": (math.nan, 0.0)})
    assert "waypoint" not in str(info.value)


def test_a_start_that_is_no_position_is_a_scene_error_naming_it() -> None:
    with pytest.raises(SceneError, match="start"):
        _shapes([[1.0, 0.0]], {**WORLD, "pos": (0.0, 0.0, 0.0)})


def test_no_waypoints_is_not_called_a_path_without_start() -> None:
    with pytest.raises(SceneError) as info:
        _shapes(np.zeros((0, 2)))
    assert "no start" not in str(info.value)


def test_a_clear_path_still_allowed_and_a_wall_still_hit() -> None:
    assert _shapes([[2.0, 0.0]]).shape == (2, 1, 4)
    guard = _guard()
    verdict = guard.check(Proposal(call_id="c", tool="move", args={"waypoints": [[10.0, 0.0]]}), GuardContext(world=WORLD))
    assert "waypoint 0" in verdict.reason and "the start" in verdict.reason
