"""An exact touch of two circles on a diagonal leg is a contact (touching=True), as on an axis-aligned one.

`first_contact` promises that shapes touching exactly are a contact unless `touching=False` (the default
fails closed). A circle of radius 5 moving from (-1, 7) to (15, -5) passes the point (0, 0) at exactly
distance 5 (at (3, 4), a quarter of the way): every input is a small integer, so the touch is exact. The
swept circle-circle kernel computes the miss distance from the unit direction (0.8, -0.6), both rounded,
and reads 5.000000000000001: the touch is lost. The same pass against a box corner at (0, 0), or along
an axis, is found. What must hold: exact tangencies on legs whose direction is a Pythagorean triple are
contacts with the exact time of impact, and are not contacts with `touching=False`.

Fixed: the miss distance is read from the cross and dot products divided once by the leg's length.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import first_contact

# (a, b, c): a^2 + b^2 = c^2; the leg runs along (b, -a), and passes (a, b) * k at distance c * k
TRIPLES = [(3, 4, 5), (4, 3, 5), (5, 12, 13), (12, 5, 13), (8, 15, 17), (20, 21, 29), (3, -4, 5), (-8, 15, 17)]


def _leg(a: int, b: int, k: int, s0: int, s1: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Centres at s0 and s1 along the leg through (a, b) * k, direction (b, -a); the touch at s = 0."""
    p = np.array([a * k, b * k], float)
    d = np.array([b, -a], float)
    return p + s0 * d, p + s1 * d, -s0 / (s1 - s0)


@pytest.mark.parametrize("a,b,c", TRIPLES)
@pytest.mark.parametrize("k", [1, 2, 7])
@pytest.mark.parametrize("s0,s1", [(-1, 3), (-3, 1), (-2, 2), (-1, 1), (-5, 2)])
@pytest.mark.parametrize("radii", [(1.0, 0.0), (0.5, 0.5), (0.25, 0.75)])  # fractions of c * k: mover, post
def test_exact_diagonal_touch_of_two_circles_is_a_contact(a, b, c, k, s0, s1, radii) -> None:
    start, end, toi = _leg(a, b, k, s0, s1)
    r_mover, r_post = radii[0] * c * k, radii[1] * c * k
    mover = np.array([[[*start, r_mover]], [[*end, r_mover]]])
    post = np.array([[0.0, 0.0, r_post]])
    hit = first_contact(mover, post)
    assert hit is not None, f"touch at time {toi} on the leg {start} -> {end} missed"
    assert hit.toi == pytest.approx(toi, abs=1e-12)
    assert first_contact(mover, post, touching=False) is None


def test_the_same_touch_against_a_box_corner_and_along_an_axis_is_found() -> None:
    mover = np.array([[[-1.0, 7.0, 5.0]], [[15.0, -5.0, 5.0]]])
    corner = np.array([[-10.0, -10.0, 0.0, 0.0]])
    assert first_contact(mover, corner) is not None and first_contact(mover, corner).toi == pytest.approx(0.25)
    level = np.array([[[-10.0, 5.0, 5.0]], [[10.0, 5.0, 5.0]]])
    assert first_contact(level, np.array([[0.0, 0.0, 0.0]])).toi == pytest.approx(0.5)
    mover_vs_post = first_contact(mover, np.array([[0.0, 0.0, 0.0]]))
    assert mover_vs_post is not None and mover_vs_post.toi == pytest.approx(0.25)
