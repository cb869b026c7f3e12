"""Red team 147: the swept quadratic's rescaling (2e02c4a) flushes a tiny coefficient to zero: unit-size shapes
1 apart become a contact, or the kernel raises ZeroDivisionError.

`_first_crossing` now multiplies a, b and c by 2**-e (the largest coefficient brought to about 1),
"exact, so results in the normal range are bit-identical". Scaling *down* is not exact for a coefficient
in the subnormal range: a circle of radius 1 two units above a unit box, drifting sideways by 2.3e-162
(a decayed velocity, a coordinate with float noise near 0), has a = sx**2 = 5e-324 and c = 3; times
2**-2, a becomes 0, and the a > 0 branch is taken as a < 0: the roots are 0 (a contact at t=0 made up:
a `CollisionGuard` denies a clear path, `NoContact` fails a correct trace) or q / 0 raises
ZeroDivisionError out of the numba kernel (a bare "division by zero" for the guard's denial, a crash of
the audit). At 2d17550 both were no contact.

Fixed: the coefficients are only scaled up (2**k, k >= 0), which is exact for every float; the
underflow of tiny shapes the scaling was for is fixed as before.

Fixed: the swept quadratic's coefficients are only scaled up (`max(..., 0)`), which is exact for every
float.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import NoContact, Trace, check_trace, first_contact

BOX = np.array([[[-1.0, 0.0, 0.0, 1.0]], [[-1.0, 0.0, 0.0, 1.0]]])


@pytest.mark.parametrize("x0", [2.3e-162, 1e-160], ids=["made-up-contact", "division-by-zero"])
def test_a_unit_circle_two_above_a_box_drifting_by_1e_162_never_touches_it(x0):
    circle = np.array([[[x0, 3.0, 1.0]], [[x0 + 2.3e-162, 3.0, 1.0]]])
    assert first_contact(circle, BOX) is None
    assert first_contact(BOX, circle) is None


def test_the_no_contact_invariant_passes_the_drifting_trace():
    trace = Trace.from_frames([{"ball": [[x0, 3.0, 1.0]], "wall": [[-1.0, 0.0, 0.0, 1.0]]}
                               for x0 in (1e-160, 1e-160 + 2.3e-162, 1e-160 + 4.6e-162)])
    assert check_trace(trace, [NoContact("ball", "wall")]) == []
