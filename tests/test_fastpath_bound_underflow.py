"""The fast path's float filter must agree with Z3 when the *error bound* underflows, not only the value.

In `(a * b + c) * d * g + w > 0` the float sum `a * b + c` can cancel to 0.0 while its exact value is a
rounding error (about 8e-19 here). The filter then multiplies by a subnormal `d`: the float product is
0.0 with a zero factor, so the underflow check (a tiny product of non-zero factors) does not fire, but
the product's error bound `m = m1 * m2` underflows to 0.0 as well. A later huge factor `g` magnifies the
lost error, and the filter decides the sign from `w` alone. What must hold: the fast path gives Z3's
verdict on every concrete input (the module's contract), so a call Z3 denies is never allowed.

Fixed: the filter also falls back to exact arithmetic when a product's bound underflows with non-zero factor
bounds.
"""

from __future__ import annotations

import pytest

from guards import requires
from guards._fastpath import evaluate, read_values
from guards._reference import ReferenceCheck
from vfa import ToolSpec, effect


@effect
@requires("(a * b + c) * d * g + w > 0")
def gt_tool(a: float, b: float, c: float, d: float, g: float, w: float) -> str:
    return ""


@effect
@requires("(a * b + c) * d * g + w < 0")
def lt_tool(a: float, b: float, c: float, d: float, g: float, w: float) -> str:
    return ""


@pytest.mark.parametrize("tool,w", [(gt_tool, 1e-60), (lt_tool, -1e-60), (gt_tool, -1e-60), (lt_tool, 1e-60)])
@pytest.mark.parametrize("d,g", [(1e-323, 1e300), (5e-324, 1e308), (1e-310, 1e290)])
def test_fast_path_agrees_with_z3_when_the_error_bound_underflows(tool, w: float, d: float, g: float) -> None:
    pre = ToolSpec.of(tool).guards[0].precondition
    args = {"a": 0.1, "b": 0.1, "c": -(0.1 * 0.1), "d": d, "g": g, "w": w}
    exact = all(evaluate(t, read_values([t], args, None)) for t in pre.terms)  # Fractions throughout
    z3_says = ReferenceCheck(pre).decide(args, None)[0] == "sat"
    assert exact == z3_says
    assert pre.holds(args, None) == exact, f"fast path says {not exact}, Z3 says {exact} on {args}"
