"""A counterexample Z3 can only give as an irrational number is reported, not a crash.

With nonlinear real clauses (`s * s == 2`) Z3's model holds an algebraic number (sqrt 2).
`Z3.read` took every real as a rational (`numerator_as_long`), so `verify_plan` raised a bare
`AttributeError: 'AlgebraicNumRef' object has no attribute 'numerator_as_long'` (outside vfa's
error tree, though `guards/_z3.py` promises every Z3 failure as a `SolverError`), and the compile-time
lint of an invariant did the same where it should raise a `PolicyError` with its counterexample.

What must hold (the exact reference: sqrt 2 is the only positive s with s * s == 2, and it fails
`x * x < 2`): the plan is reported failing at its first step, with a counterexample within 1e-15 of sqrt 2;
the lint raises `PolicyError`.

Fixed: Z3.read takes an algebraic model value as the rational within 1e-40 of it (a counterexample that cannot
be replayed exactly).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class Field2(BaseModel):
    r: float


field2 = Policy(Field2)


@effect
@field2.requires("x * x < state.r")
def go(x: float) -> str:
    return "ok"


def test_plan_with_an_irrational_counterexample_fails_at_its_step() -> None:
    result = verify_plan([Step("go", x=Sym("s"))], [go], assume=["s * s == 2", "s > 0", "state.r == 2"])
    assert not result.ok and result.failed_step == 0, result
    s = Fraction(result.counterexample["symbols"]["s"])  # a rational no float is, as its text ("a/b")
    assert abs(s - Fraction(math.sqrt(2))) < 1e-15 and s * s != 2, result


def test_lint_with_an_irrational_counterexample_is_a_policy_error() -> None:
    @effect
    @field2.requires("state.r > 0")
    @field2.ensures("state.r = state.r * state.r")
    def square() -> str:
        return "ok"

    inv = field2.invariant("state.r * state.r * state.r * state.r != 4")
    with pytest.raises(PolicyError, match="can break invariant"):
        Agent(ScriptedModel([]), tools=[square], guards=[inv], world=Field2(r=1.0)).lint()
