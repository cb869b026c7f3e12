"""A number no float can hold, written in an invariant's declaration, is refused with a SceneError naming it.

`_trace_expr._lift` (every number an expression meets: `state("x") < 10**400`) and `_trace_expr.real` (the
tolerance of `Conserved`/`Monotonic`, the bounds of `Bounds`) called `float()` on the value: an int beyond a
float's range (10**400) raised a bare `OverflowError` ("int too large to convert to float") where it was
written, outside the tree of vfa's errors and naming neither the argument nor the invariant.

What must hold: each of these raises `SceneError` (the module's error for a declaration that cannot be
checked), naming the value's argument; a large number a float holds (10**300) is still taken.

Fixed: real and _lift raise a SceneError naming the argument for a number beyond a float's range.
"""

from __future__ import annotations

import pytest

from guards import Bounds, Conserved, Monotonic, SceneError, state

HUGE = 10 ** 400


@pytest.mark.parametrize("make, named", [
    (lambda: state("x") < HUGE, "10000"),
    (lambda: HUGE * state("x"), "10000"),
    (lambda: state("x").max(-HUGE), "10000"),
    (lambda: Bounds("x", 0, HUGE), "hi"),
    (lambda: Bounds("x", -HUGE, 0), "lo"),
    (lambda: Conserved("x", tol=HUGE), "tol"),
    (lambda: Monotonic("x", tol=HUGE), "tol"),
], ids=["compare", "scale", "max", "bounds hi", "bounds lo", "conserved tol", "monotonic tol"])
def test_a_number_beyond_a_float_is_a_scene_error(make, named):
    with pytest.raises(SceneError, match=named):
        make()


def test_a_large_number_a_float_holds_is_taken():
    state("x") < 10 ** 300
    Bounds("x", 0, 10 ** 300)
    Conserved("x", tol=10 ** 300)
