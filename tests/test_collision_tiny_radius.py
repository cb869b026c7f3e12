"""A circle too small for its squared distances to be exact is refused, not judged wrongly.

Fixed: the circle kernels compare squared distances, which underflow to 0.0 below about 1e-162: two
circles of radius 1e-170 overlapping by half their size read as an exact touch, so with
`touching=False` the overlap was no contact and a path straight through such a post was allowed.
A radius between 0 (a point) and 1e-150 is now a `SceneError` (a denial, in a guard), as a coordinate
too large already was, and a `CollisionGuard` body of that size a `ConfigError` when it is built.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import CollisionGuard, SceneError, contact_frames
from vfa import ConfigError, Deny, GuardChain, GuardContext, Proposal

S = 1e-170


def test_overlapping_tiny_circles_are_refused():
    with pytest.raises(SceneError, match="radius 1e-170 at frame 0, entity 0 is below 1e-150"):
        contact_frames(np.array([[[0.0, 0.0, S]]]), np.array([[[S, 0.0, S]]]), touching=False)


def test_a_tiny_circle_beside_a_box_is_refused():
    with pytest.raises(SceneError, match="too small to check safely"):
        contact_frames(np.array([[[0.0, 0.0, S, S]]]), np.array([[[S, 0.0, S]]]), touching=False)


def test_a_tiny_body_is_refused_when_the_guard_is_built():
    with pytest.raises(ConfigError, match="body=1e-170 cannot be checked"):
        CollisionGuard(body=S, allow_no_start=True, touching=False)


def test_the_chain_denies_a_path_past_a_tiny_post():
    chain = GuardChain([CollisionGuard(body=1.0, allow_no_start=True, touching=False)])
    ctx = GuardContext(world={"obstacles": np.array([[0.0, 0.0, S]])})
    result = chain.verify(Proposal(call_id="c", tool="move", args={"waypoints": [[-10.0, 0.0], [10.0, 0.0]]}), ctx)
    assert isinstance(result.verdict, Deny) and "too small to check safely" in result.verdict.reason, result.verdict


def test_points_and_small_circles_are_still_judged():
    points = contact_frames(np.array([[[0.0, 0.0, 0.0]]]), np.array([[[0.0, 0.0, 0.0]]]))
    small = contact_frames(np.array([[[0.0, 0.0, 1e-150]]]), np.array([[[1e-150, 0.0, 1e-150]]]), touching=False)
    assert points.count[0] == 1 and small.count[0] == 1
