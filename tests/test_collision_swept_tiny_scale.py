"""Swept circle contacts are judged alike at any scale the scene checks accept (radii >= 1e-150).

Wrong: `as_group` refuses radii below 1e-150 because "its square stays a normal float", and so
calls every larger circle safe to check. But the swept box-circle kernel (and the circle-circle
one when a radius changes about as fast as the centres move) solves a quadratic whose
discriminant b^2 - 4ac is of the fourth power of the scene's size: below about 1e-77 it
underflows to 0 and the roots are wrong. A growing circle that sweeps 2.2 units deep into a box
(scaled by 2**-280, radii ~1e-85) was no contact at all: `NoContact` passed the trace and
`first_contact` returned None. A fixed-radius circle passing clear of a box was a contact (a
`CollisionGuard` would deny a clear path). Scaling a scene by a power of two changes no rounding,
so its answers must not change.

Fixed: `_first_crossing` scales the quadratic's coefficients by a power of two before b^2 - 4ac (exact, so
results in the normal range are bit-identical).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from guards import NoContact, Trace, check_trace, contact_frames, first_contact

GROWING_INTO_BOX = ([3.75, -0.4375, 0.8125], [3.0625, 1.5625, 3.375], [2.5625, 2.75, 5.8125, 3.4375], 0.5205479452054794)
GROWING_INTO_CIRCLE = ([3.0625, 3.4375, 0.8125], [0.0, -1.375, 3.9375], [-3.125, -2.75, 2.8125], 0.595290052644487)


@pytest.mark.parametrize("k", [0, -200, -280, -300, -400])
@pytest.mark.parametrize("case", [GROWING_INTO_BOX, GROWING_INTO_CIRCLE], ids=["box", "circle"])
def test_growing_circle_contact_found_at_any_scale(case, k):
    """The contact (2.2 deep into the box, 3.3 into the circle, at unit scale) is found when scaled."""
    a0, a1, b, toi = case
    s = 2.0**k
    found = first_contact(np.array([[a0], [a1]]) * s, np.array([b]) * s)
    assert found is not None, f"scaled by 2**{k} (radii ~{0.8 * s:.1e}), the deep contact was missed"
    assert found.toi == pytest.approx(toi, rel=1e-12)


def test_no_contact_invariant_fails_the_tiny_trace():
    a0, a1, b, _ = GROWING_INTO_BOX
    s = 2.0**-300
    trace = Trace(blast=np.array([[a0], [a1]]) * s, wall=np.array([[b]]) * s)
    assert check_trace(trace, [NoContact("blast", "wall")]), "a blast sweeping into the wall passed"


def test_fixed_circle_clear_of_a_box_is_no_contact_at_any_scale():
    """A fixed-radius circle passing clear of a box: no contact at unit scale, none when scaled."""
    a0, a1, b = [8.9375, -3.3125, 0.5], [8.5625, 10.0625, 0.5], [13.1875, 9.5625, 19.75, 12.0]
    assert first_contact(np.array([[a0], [a1]]), np.array([b])) is None
    s = 2.0**-300
    assert first_contact(np.array([[a0], [a1]]) * s, np.array([b]) * s) is None


def _q(v):
    return v / 16


coord = st.integers(-64, 64).map(_q)
radius = st.integers(1, 64).map(_q)


@st.composite
def _shape(draw, kind):
    x, y = draw(coord), draw(coord)
    if kind == "box":
        return [x, y, x + draw(radius), y + draw(radius)]
    return [x, y, draw(radius)]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.sampled_from([("circle", "box"), ("box", "circle"), ("circle", "circle")]), st.data(),
       st.sampled_from([-300, -260, -200, 200]))
def test_swept_answer_is_scale_invariant(kinds, data, k):
    """Dyadic scenes scaled by 2**k (every radius stays above 1e-150, every coordinate below 1e75):
    the same contact count and the same time of impact, bit for bit."""
    a0, a1 = data.draw(_shape(kinds[0])), data.draw(_shape(kinds[0]))
    b0, b1 = data.draw(_shape(kinds[1])), data.draw(_shape(kinds[1]))
    A, B = np.array([[a0], [a1]]), np.array([[b0], [b1]])
    s = 2.0**k
    for touching in (True, False):
        base = contact_frames(A, B, swept=True, touching=touching)
        scaled = contact_frames(A * s, B * s, swept=True, touching=touching)
        assert (scaled.count[0], scaled.toi[0]) == (base.count[0], base.toi[0]), (a0, a1, b0, b1, k, touching)
