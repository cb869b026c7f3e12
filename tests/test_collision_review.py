"""Regression tests for the review of the collision guard and the trace verifier (issue 5)."""

from __future__ import annotations

import numpy as np
import pytest

from guards import CollisionGuard, SceneError
from vfa import ConfigError, Deny, GuardContext, Proposal


def _move(waypoints):
    return Proposal(call_id="c", tool="move", args={"waypoints": waypoints})


_ORIGIN = {"start": lambda p, c: (0.0, 0.0)}


# -- 1. a shape path from the proposal must not bypass the configured body ------------------------


def test_shape_path_cannot_bypass_body():
    guard = CollisionGuard(body=(4.0, 4.0), **_ORIGIN)
    world = GuardContext(world={"obstacles": np.array([[-10.0, 1.0, 10.0, 2.0]])})
    assert isinstance(guard.check(_move([[-5.0, 0.0], [5.0, 0.0]]), world), Deny)
    # the same motion, described by the agent as a point: refused, not allowed
    with pytest.raises(SceneError, match="shape_paths"):
        guard.check(_move([[[-5.0, 0.0, 0.0]], [[5.0, 0.0, 0.0]]]), world)


def test_shape_paths_are_an_explicit_opt_in():
    with pytest.raises(ConfigError, match="body"):
        CollisionGuard(body=1.0, shape_paths=True, **_ORIGIN)
    guard = CollisionGuard(shape_paths=True, allow_no_start=True)
    world = GuardContext(world={"obstacles": np.array([[0.0, 0.0, 1.0]])})
    assert isinstance(guard.check(_move([[[-5.0, 0.0, 0.5]], [[5.0, 0.0, 0.5]]]), world), Deny)


# -- 2. the leg from the current position to the first waypoint is always checked ----------------

_WALL = GuardContext(world={"obstacles": np.array([[5.0, -10.0, 6.0, 10.0]])})


def test_start_is_required():
    with pytest.raises(ConfigError, match="start="):
        CollisionGuard(body=(1.0, 1.0))
    with pytest.raises(ConfigError, match="start="):
        CollisionGuard(shape_paths=True, start=lambda p, c: (0.0, 0.0))
    guard = CollisionGuard(body=(1.0, 1.0), **_ORIGIN)
    # the agent at the origin jumps over the wall: the first leg is checked
    assert isinstance(guard.check(_move([[10.0, 0.0]]), _WALL), Deny)
    assert isinstance(guard.check(_move([[10.0, 0.0], [20.0, 0.0]]), _WALL), Deny)
    assert guard.check(_move([[3.0, 0.0], [3.0, 5.0]]), _WALL).kind == "allow"


def test_single_waypoint_without_start_is_refused():
    guard = CollisionGuard(body=(1.0, 1.0), allow_no_start=True)
    with pytest.raises(SceneError, match="start"):
        guard.check(_move([[10.0, 0.0]]), _WALL)
    assert isinstance(guard.check(_move([[0.0, 0.0], [10.0, 0.0]]), _WALL), Deny)


# -- 3. obstacle containers: nested lists are static groups, None is an error -------------------

_NEAR = [[-100.0, -10.0, -99.0, 10.0]]
_FAR = [[5.0, -10.0, 6.0, 10.0]]


@pytest.mark.parametrize("obstacles", [
    [_NEAR, _FAR],
    {"walls": [_NEAR, _FAR]},
    [np.array(_NEAR), np.array(_FAR)],
    {"a": {"b": [_NEAR, [_FAR]]}},
    (_NEAR, _FAR),
    [_FAR, [[0.0, 50.0, 1.0]]],
])
def test_nested_obstacle_lists_are_static_groups(obstacles):
    guard = CollisionGuard(body=(1.0, 1.0), **_ORIGIN)
    assert isinstance(guard.check(_move([[10.0, 0.0]]), GuardContext(world={"obstacles": obstacles})), Deny)


def test_obstacles_none_is_an_error():
    guard = CollisionGuard(body=(1.0, 1.0), **_ORIGIN)
    with pytest.raises(SceneError, match="None"):
        guard.check(_move([[10.0, 0.0]]), GuardContext(world={"obstacles": None}))
    with pytest.raises(SceneError, match="None"):
        guard.check(_move([[10.0, 0.0]]), GuardContext(world={"obstacles": {"walls": None}}))
    assert guard.check(_move([[10.0, 0.0]]), GuardContext(world={"obstacles": []})).kind == "allow"


def test_moving_obstacles_need_an_array_or_the_flag():
    # a wall that moves from x=50 to x=5 while the agent goes from 0 to 10: they meet
    frames = [[[50.0, -10.0, 51.0, 10.0]], [[5.0, -10.0, 6.0, 10.0]]]
    ctx = GuardContext(world={"obstacles": np.array(frames)})
    assert isinstance(CollisionGuard(body=(1.0, 1.0), **_ORIGIN).check(_move([[10.0, 0.0]]), ctx), Deny)
    ctx = GuardContext(world={"obstacles": frames})
    guard = CollisionGuard(body=(1.0, 1.0), moving=True, **_ORIGIN)
    assert isinstance(guard.check(_move([[10.0, 0.0]]), ctx), Deny)
    # without the flag the same lists are two static walls: still denied (the x=5 one)
    assert isinstance(CollisionGuard(body=(1.0, 1.0), **_ORIGIN).check(_move([[10.0, 0.0]]), ctx), Deny)


# -- 4. swept circle-circle keeps its precision on long legs and at large scales ----------------


@pytest.mark.parametrize("leg", [1e3, 1e6, 1e8, 1e9, 1e12])
@pytest.mark.parametrize("y", [0.0, 0.3, 0.6, 0.9, 0.99])
@pytest.mark.parametrize("touching", [True, False])
def test_swept_circle_through_post_on_long_legs(leg, y, touching):
    from guards import first_contact

    path = np.array([[[-leg, y, 0.5]], [[leg, y, 0.5]]])
    for obstacle in (np.array([[0.0, 0.0, 0.5]]), np.array([[-0.5, -0.5, 0.5, 0.5]])):
        contact = first_contact(path, obstacle, touching=touching)
        assert contact is not None, (leg, y, obstacle)
        # the entry time: the centres are sqrt(1 - y^2) apart along the leg (circle obstacle)
        assert abs(contact.toi - 0.5) <= 1.0 / leg + 1e-12


def test_swept_circle_circle_random_high_speed_legs():
    from guards import first_contact

    rng = np.random.default_rng(0)
    obstacle = np.array([[0.0, 0.0, 0.5]])
    for _ in range(3000):
        leg, y, x0 = 10 ** rng.uniform(6, 12), rng.uniform(0, 0.999), rng.uniform(-1, 1)
        path = np.array([[[-leg + x0, y, 0.5]], [[leg + x0, y, 0.5]]])
        assert first_contact(path, obstacle, touching=True) is not None, (leg, y, x0)
        assert first_contact(path, obstacle, touching=False) is not None, (leg, y, x0)
        # a clear miss stays a miss
        path[:, 0, 1] = 1.001 + y
        assert first_contact(path, obstacle) is None, (leg, y, x0)


@pytest.mark.parametrize("scale", [1e10, 1e40, 1e60, 1e70, 1e74])
def test_swept_circle_circle_at_large_scales(scale):
    from guards import first_contact

    path = np.array([[[-3 * scale, 0.0, scale]], [[3 * scale, 0.0, scale]]])
    contact = first_contact(path, np.array([[0.0, 0.0, scale]]))
    assert contact is not None and contact.toi == pytest.approx(1 / 6)
    boxes = np.array([[[-4 * scale, -scale, -2 * scale, scale]], [[2 * scale, -scale, 4 * scale, scale]]])
    assert first_contact(boxes, np.array([[0.0, 0.0, scale]])) is not None


def test_coordinates_beyond_the_safe_bound_are_refused():
    from guards import first_contact

    with pytest.raises(SceneError, match="exceeds"):
        first_contact(np.array([[[-2e80, 0.0, 1e80]], [[2e80, 0.0, 1e80]]]), np.array([[0.0, 0.0, 1e80]]))


def test_guard_circle_body_through_post_on_long_leg():
    guard = CollisionGuard(body=0.5, allow_no_start=True)
    world = GuardContext(world={"obstacles": np.array([[0.0, 0.0, 0.5]])})
    for leg in (1e6, 1e9, 1e12):
        for x0 in np.linspace(-1, 1, 9):
            assert isinstance(guard.check(_move([[-leg + x0, 0.0], [leg + x0, 0.0]]), world), Deny)
    guard = CollisionGuard(body=0.5, allow_no_start=True, touching=False)
    assert isinstance(guard.check(_move([[-1e8, 0.0], [1e8, 0.0]]), world), Deny)


# -- 8. evidence names the proposal's waypoints ---------------------------------------------------


def test_evidence_leg_is_relative_to_the_proposal():
    guard = CollisionGuard(body=(1.0, 1.0), **_ORIGIN)
    verdict = guard.check(_move([[3.0, 0.0], [10.0, 0.0]]), _WALL)
    assert verdict.evidence["leg"] == [0, 1] and "from waypoint 0 to waypoint 1" in verdict.reason
    verdict = guard.check(_move([[10.0, 0.0], [20.0, 0.0]]), _WALL)
    assert verdict.evidence["leg"] == ["start", 0] and "from the start to waypoint 0" in verdict.reason
    guard = CollisionGuard(body=(1.0, 1.0), allow_no_start=True)
    verdict = guard.check(_move([[0.0, 0.0], [3.0, 0.0], [10.0, 0.0]]), _WALL)
    assert verdict.evidence["leg"] == [1, 2] and "from waypoint 1 to waypoint 2" in verdict.reason


def test_discrete_contact_reads_at_waypoint():
    from guards._scene import Contact

    guard = CollisionGuard(body=(1.0, 1.0), **_ORIGIN)
    contact = Contact(frame=2, toi=0.0, a=0, b=0, point=(5.5, 0.0), a_shape=(5.0, -0.5, 6.0, 0.5),
                      b_shape=(5.0, -10.0, 6.0, 10.0), swept=False)
    guard.first_contact = lambda p, c: (contact, 0)
    verdict = guard.check(_move([[3.0, 0.0], [5.5, 0.0]]), _WALL)
    assert "at waypoint 1," in verdict.reason and "time of impact" not in verdict.reason
    assert verdict.evidence["waypoint"] == 1 and verdict.evidence["leg"] is None
