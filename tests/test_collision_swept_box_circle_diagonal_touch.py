"""An exact touch of a circle and a box corner on a diagonal leg is a contact (touching=True).

A circle of radius 1 moving from (-9, 12) to (15, -20) passes the corner of the point box (-2, 1, -2, 1)
at exactly distance 1 (the leg's direction is (3, -4), the miss is 40 / 40). The swept box-circle kernel
solves each piece about its closest approach t0 = 0.115, which rounds, so the gap there reads above 1
and the touch is lost. What must hold: on integer scenes, where every such touch is exact, the kernel
agrees with an exact rational oracle: a touch is a contact with `touching=True` and none without.

Fixed: with a fixed radius and the closest approach inside a piece, the gap there is read from the cross
product divided once.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import first_contact

CASES = [  # box (static), circle at frame 0, circle at frame 1: each touches the box exactly, once
    ((0, 5, 1, 8), (-41, -8, 1), (43, 27, 1)),
    ((-2, 1, -2, 1), (-9, 12, 1), (15, -20, 1)),
    ((-4, -1, -3, 2), (28, 21, 1), (-16, -12, 1)),
    ((4, 1, 6, 2), (-20, -21, 2), (12, 3, 2)),
    ((2, -4, 3, -2), (68, -28, 1), (-4, 2, 1)),
]


@pytest.mark.parametrize("box,c0,c1", CASES)
def test_exact_touch_of_a_box_corner_on_a_diagonal_leg_is_a_contact(box, c0, c1) -> None:
    boxes = np.array([box], float)
    circle = np.array([[c0], [c1]], float)
    assert first_contact(circle, boxes) is not None, "an exact touch was missed"
    assert first_contact(circle, boxes, touching=False) is None
