"""Circles that touch exactly at integer coordinates of a few 1e8 are a contact, as the exact gap says.

The circle kernels decide by a squared gap computed in float64 (`dx*dx + dy*dy - r*r`). Past about
9.5e7 (2**53 over a square) those squares round, and an exact touch (a Pythagorean triple: centres
(0, 0) and (a, b), radii summing to c, a^2 + b^2 = c^2) reads as a gap of a few units squared: no
contact. With `touching=True`, the default ("an exact touch counts as a contact: fail closed"), a
circle body passing tangent to a circular post was allowed by `CollisionGuard`, and the discrete
kernels missed the touch too. Every coordinate here is an integer well inside the 1e75 the scene
accepts, exactly a float64.

What must hold: the verdict of the exact reference below (integer arithmetic): a contact.

Fixed: guards/_numba/_exact.py decides each sign by a float filter (the value against a bound on its
rounding, 32 ulps of the same sum over the terms' magnitudes) and, where that is too close to call, exactly
from expansions (two_sum, Dekker's two_product, Shewchuk's grow and compress). `_circle_circle` and
`_box_circle` return that exact sign; the swept kernels decide whether the pair meets exactly
(`_swept_circles_meet`: the signs of h(0), h(1), a, h'(0), h'(1) and b^2/4 - ac; a box as its two widened
strips, decided exactly as linear windows, and its four corners as circles of radius 0), and the float
solve only places the time.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from guards import CollisionGuard, first_contact
from vfa import Deny, GuardContext, Proposal

# a^2 + b^2 = c^2 exactly; r1 + r2 = c
A, B, C = 499964535, 119939380, 514149775
R1, R2 = 171383258, 342766517
# a swept case: the body's centre moves from (-b2, a2) to (b2, -a2), passing (0, 0), the foot of the
# perpendicular from the post's centre (a2, b2): tangent there, at distance c2 = r1b + r2b
A2, B2, C2 = 162062541, 95195380, 187953259
R1B, R2B = 62651086, 125302173


def exact_circle_gap(c1: tuple, c2: tuple) -> int:
    """Squared centre distance minus squared radius sum, in integers: <= 0 is a contact."""
    return (c1[0] - c2[0]) ** 2 + (c1[1] - c2[1]) ** 2 - (c1[2] + c2[2]) ** 2


def exact_box_circle_gap(box: tuple, circle: tuple) -> int:
    dx = max(box[0] - circle[0], 0, circle[0] - box[2])
    dy = max(box[1] - circle[1], 0, circle[1] - box[3])
    return dx * dx + dy * dy - circle[2] ** 2


def exact_swept_gap(p0: tuple, p1: tuple, r: int, post: tuple) -> Fraction:
    """The least squared gap of a circle of radius r moving p0 -> p1 past a fixed circle, exactly."""
    dx, dy = Fraction(p0[0] - post[0]), Fraction(p0[1] - post[1])
    ex, ey = Fraction(p1[0] - p0[0]), Fraction(p1[1] - p0[1])
    t = min(max(-(dx * ex + dy * ey) / (ex * ex + ey * ey), Fraction(0)), Fraction(1))
    return (dx + ex * t) ** 2 + (dy + ey * t) ** 2 - (r + post[2]) ** 2


def test_discrete_circles_touching_at_large_integers() -> None:
    assert A * A + B * B == C * C and R1 + R2 == C
    assert exact_circle_gap((0, 0, R1), (A, B, R2)) == 0  # the reference: an exact touch
    got = first_contact(np.array([[0.0, 0.0, R1]]), np.array([[A, B, R2]], dtype=np.float64), swept=False)
    assert got is not None, "an exact touch of two circles was read as no contact"


def test_discrete_box_corner_touching_a_circle_at_large_integers() -> None:
    box, circle = (-5, -5, 0, 0), (A, B, C)
    assert exact_box_circle_gap(box, circle) == 0
    got = first_contact(np.array([box], dtype=np.float64), np.array([circle], dtype=np.float64), swept=False)
    assert got is not None, "a box corner exactly on a circle was read as no contact"


def test_guard_denies_a_body_passing_tangent_to_a_post() -> None:
    start, end, post = (-B2, A2), (B2, -A2), (A2, B2, R2B)
    assert A2 * A2 + B2 * B2 == C2 * C2 and R1B + R2B == C2
    assert exact_swept_gap(start, end, R1B, post) == 0  # the reference: touches at the leg's middle
    guard = CollisionGuard(body=float(R1B), start=lambda proposal, context: list(start))
    verdict = guard.check(Proposal(call_id="c1", tool="move", args={"waypoints": [list(end)]}),
                          GuardContext(world={"obstacles": [list(post)]}))
    assert isinstance(verdict, Deny), verdict
