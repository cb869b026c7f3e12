"""A point (a circle of radius 0, which scenes accept: "use 0 for a point") inside a box overlaps it.

Under `touching=False` only an overlap is a contact. A point strictly inside a circle is one (the
squared gap is negative), but a point strictly inside a box reads as a touch: the box-circle gap is
the squared distance from the centre to the box minus r^2, which is 0 - 0 anywhere inside, so
`_box_circle` (guards/_numba/_meet.py) gives 0, and the swept decision `_box_circle_meet` asks of
both its arms that r > 0 under `strict`. So a point body that the CollisionGuard moves straight through
a wall (a box), with touching=False, passes; the same leg through a post (a circle) is denied.

Must hold: with touching=False, a point strictly inside a box is a contact, in one frame and swept
(and a point on the box's edge is not, as it is no overlap).

Fixed: a point strictly inside the open box overlaps it; with radius 0 at both ends the swept check bounds the
open box strictly (guards/_numba/_meet.py).
"""

from __future__ import annotations

import numpy as np

from guards import CollisionGuard
from guards._scene import contact_frames, first_contact
from vfa import Deny, GuardContext, Proposal

WALL = np.array([[0.0, 0.0, 10.0, 10.0]])


def test_a_point_inside_a_box_overlaps_it() -> None:
    inside = np.array([[5.0, 5.0, 0.0]])
    on_edge = np.array([[0.0, 5.0, 0.0]])
    assert contact_frames(inside, WALL, touching=False).count.tolist() == [1], "a point inside a box is an overlap"
    assert contact_frames(on_edge, WALL, touching=False).count.tolist() == [0], "control: on the edge, a touch"
    assert contact_frames(on_edge, WALL, touching=True).count.tolist() == [1], "control: on the edge, a touch"


def test_a_point_swept_through_a_box_overlaps_it() -> None:
    through = np.array([[[-5.0, 5.0, 0.0]], [[15.0, 5.0, 0.0]]])
    along_edge = np.array([[[-5.0, 0.0, 0.0]], [[15.0, 0.0, 0.0]]])
    post = np.array([[5.0, 5.0, 2.0]])
    assert first_contact(through, post, touching=False) is not None, "control: through a post, an overlap"
    assert first_contact(along_edge, WALL, touching=False) is None, "control: along an edge, a touch"
    assert first_contact(through, WALL, touching=False) is not None, "a point passing through a box overlaps it"


def test_collision_guard_denies_a_point_body_through_a_wall() -> None:
    guard = CollisionGuard(body=0.0, start=lambda p, c: (-5.0, 5.0), obstacles=lambda c: WALL, touching=False)
    proposal = Proposal(call_id="c1", tool="move", args={"waypoints": [[15.0, 5.0]]})
    along = Proposal(call_id="c2", tool="move", args={"waypoints": [[-5.0, 0.0], [15.0, 0.0]]})
    assert not isinstance(guard.check(along, GuardContext()), Deny), "control: along the wall's edge, a touch"
    verdict = guard.check(proposal, GuardContext())
    assert isinstance(verdict, Deny), f"a point body moved through a wall was allowed: {verdict!r}"
