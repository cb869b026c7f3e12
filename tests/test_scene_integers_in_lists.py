"""Python integers float64 cannot hold exactly are refused wherever a scene or trace reads numbers, not rounded.

`as_group` and `Trace` refuse integer arrays beyond 2**53 (2**53 + 1 reads as 2**53, and a one-unit
overlap becomes a touch, a one-unit loss no change). But that check looks only at an integer *dtype*:

- a JSON-like list mixing floats and ints (`[[0.5, 0, 2**53 + 1, 10]]`) becomes a float64 array, the
  integer rounded by NumPy before any check sees it;
- `CollisionGuard` reads the proposal's waypoints, its start and its body through `path_shapes`, which
  casts them to float64 first: integer waypoints from a model's JSON arguments are never checked.

Each of these gave an allow where the exact integers call for a deny: a point body passing through a
box's interior read as grazing its edge (no contact under `touching=False`), a value that decreases by
one unit as constant, a value above its bound as within it, a lost unit as conserved.

What must hold: the exact verdict (a contact, a violation) or a `SceneError` naming the integer.

Fixed: _scene.as_numbers refuses an integer beyond 2**53 in an integer array or as a Python int in a list;
as_group, path_shapes, CollisionGuard (start, path arrays) and Trace read numbers through it.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import Bounds, CollisionGuard, Conserved, Monotonic, SceneError, check_trace, first_contact
from vfa import Deny, GuardContext, Proposal

N = 2**53


def _denied_or_refused(check) -> None:
    try:
        verdict = check()
    except SceneError as exc:
        assert str(N + 1) in str(exc), exc
    else:
        assert isinstance(verdict, Deny), verdict


def _move(waypoints):
    return Proposal(call_id="c", tool="move", args={"waypoints": waypoints})


_BOX = GuardContext(world={"obstacles": np.array([[float(N), 0.0, float(N + 2), 10.0]])})


@pytest.mark.parametrize("body", [(0, 0), 0])
def test_integer_waypoints_through_a_box_interior(body) -> None:
    # x = N + 1 lies strictly inside [N, N + 2]: the path crosses the box's interior, a contact even
    # when touching is not; rounded to N it only grazes the left edge
    guard = CollisionGuard(body=body, start=lambda p, c: (N + 1, -5), touching=False)
    _denied_or_refused(lambda: guard.check(_move([[N + 1, 15]]), _BOX))


def test_integer_start_through_a_box_interior() -> None:
    guard = CollisionGuard(body=(0, 0), start=lambda p, c: (N + 1, -5), touching=False)
    _denied_or_refused(lambda: guard.check(_move([[float(N + 2) + 8.0, 15.0]]), _BOX))


def test_obstacle_list_mixing_floats_and_a_large_integer() -> None:
    guard = CollisionGuard(body=(0.0, 0.0), start=lambda p, c: (float(N), -5.0), touching=False)
    world = GuardContext(world={"obstacles": [[0.5, 0, N + 1, 10]]})  # N lies strictly inside [0.5, N + 1]
    _denied_or_refused(lambda: guard.check(_move([[float(N), 15.0]]), world))
    try:
        got = first_contact([[0.5, 0, N + 1, 10]], [[float(N), 0.0, float(N + 10), 10.0]], swept=False, touching=False)
    except SceneError as exc:
        assert str(N + 1) in str(exc), exc
    else:
        assert got is not None, "boxes overlapping by one unit read as no contact"


@pytest.mark.parametrize(("channels", "invariant"), [
    ({"x": [N + 1, float(N)]}, Monotonic("x")),  # decreases by one unit
    ({"x": [0.5, N + 1]}, Bounds("x", hi=float(N))),  # one unit above the bound
    ({"x": [[0.5, N + 1], [0.5, float(N)]]}, Conserved("x", tol=0)),  # one unit lost
])
def test_trace_lists_mixing_floats_and_a_large_integer(channels, invariant) -> None:
    try:
        found = check_trace(channels, [invariant])
    except SceneError as exc:
        assert str(N + 1) in str(exc), exc
    else:
        assert found, f"{invariant!r} passed a trace whose exact integers break it"


def test_floats_and_small_integers_in_lists_are_still_taken() -> None:
    assert first_contact([[0.5, 0, N, 10]], [[float(N), 0.0, float(N + 10), 10.0]], swept=False) is not None
    assert check_trace({"x": [0.5, N, -N]}, [Bounds("x", lo=-float(N), hi=float(N))]) == []
    guard = CollisionGuard(body=(1, 1), start=lambda p, c: (0, 0))
    assert guard.check(_move([[3, 0]]), GuardContext(world={"obstacles": [[5, -1, 6, 1]]})).kind == "allow"
    assert isinstance(guard.check(_move([[10, 0]]), GuardContext(world={"obstacles": [[5, -1, 6, 1]]})), Deny)
