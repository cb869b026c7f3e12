"""A swept box-circle contact is found on a long leg as on a short one (no tunnelling by rounding).

Fixed: the box-circle kernel expanded the squared gap in t about the start of the leg, so on a leg
about 1e8 times the shapes' size the gap at the closest approach was lost to rounding, and a circle
grazing a box's corner (or a box's corner grazing a post) was allowed. Each piece of the leg is now
solved about its closest approach, as the circle-circle kernel already was.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from guards import CollisionGuard, first_contact
from vfa import Deny, GuardContext, Proposal

L = 1e8  # half-length of the leg; the shapes are of size 1


def _move(waypoints):
    return Proposal(call_id="c", tool="move", args={"waypoints": waypoints})


@pytest.mark.parametrize("c", [2.26, 2.28, 2.34, 2.36])
def test_circle_body_past_box_corner_on_long_leg_is_denied(c):
    """A circle body (r=1) whose centre runs on the line x + y = c passes the box corner (0.5, 0.5)
    at distance (c - 1)/sqrt(2) <= 0.96 < 1: the shapes overlap, so the motion must be denied."""
    assert (c - 1) / math.sqrt(2) < 0.97
    guard = CollisionGuard(body=1.0, allow_no_start=True)
    ctx = GuardContext(world={"obstacles": np.array([[-0.5, -0.5, 0.5, 0.5]])})
    verdict = guard.check(_move([[-L, c + L], [L, c - L]]), ctx)
    assert isinstance(verdict, Deny), f"path x+y={c} overlaps the box corner but was allowed"


@pytest.mark.parametrize("c", [2.26, 2.28, 2.34, 2.36])
def test_box_body_past_circle_post_on_long_leg_is_denied(c):
    """A unit box body whose corner runs at distance (c - 1)/sqrt(2) < 1 from a circle post of
    radius 1 overlaps the post: the motion must be denied."""
    guard = CollisionGuard(body=(1.0, 1.0), allow_no_start=True)
    ctx = GuardContext(world={"obstacles": np.array([[0.0, 0.0, 1.0]])})
    verdict = guard.check(_move([[-L, c + L], [L, c - L]]), ctx)
    assert isinstance(verdict, Deny), f"box corner passes the post at {(c - 1) / math.sqrt(2):.3f} < 1 but was allowed"


def test_first_contact_box_circle_long_leg():
    """The same miss at the scene level: `first_contact` of a circle sweeping past a box corner."""
    c = 2.26
    path = np.array([[[-L, c + L, 1.0]], [[L, c - L, 1.0]]])
    assert first_contact(path, np.array([[-0.5, -0.5, 0.5, 0.5]])) is not None
