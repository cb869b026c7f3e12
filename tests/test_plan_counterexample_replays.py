"""A plan's counterexample is a real one: the initial state and symbols it reports satisfy the assumption
and fail the reported step, evaluated exactly.

`verify_plan` read Z3's model exactly (Fractions) but reported it through `jsonable`, which writes a
rational as its nearest float. Where Z3 picks a rational (a share of a bill split three ways, a pair of
fields summing to 1), the float it reports breaks the assumption: `3 * state.share == state.bill` with
`bill == 100` was reported as share=33.333333333333336, which no replay of the assumption admits.

What must hold: every value of `counterexample` (and of the trace's first state), read exactly (a float as
its exact value, a text "p/q" as that fraction), satisfies each assumed clause, and the failing step's
precondition does not hold on it. Where a float state exists that does so, the values are floats.

Fixed: _float_model moves the counterexample's reals to floats where Z3 finds such a model; a rational no
float equals is shown exactly as text.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import effect


class Split(BaseModel):
    bill: float
    share: float
    rest: float


split = Policy(Split)


@effect
@split.requires("amount <= state.share")
@split.ensures("state.share -= amount")
def pay(amount: float) -> str:
    return "paid"


def exact(v: object) -> Fraction:
    assert isinstance(v, (int, float, str)) and not isinstance(v, bool), v
    return Fraction(v)


def replays(result, assume: list[str], amount: object) -> None:
    cex = result.counterexample
    state = {k: exact(v) for k, v in cex["state"].items()}
    symbols = {k: exact(v) for k, v in cex["symbols"].items()}
    names = {"state": SimpleNamespace(**{f: state.get(f, Fraction(0)) for f in ("bill", "share", "rest")}),
             **symbols}
    for clause in assume:
        assert eval(clause, names), (clause, cex)  # noqa: S307 - the test's own clauses
    assert {k: exact(v) for k, v in result.trace[0].items()} == state
    paid = symbols["x"] if isinstance(amount, Sym) else exact(amount)
    assert not paid <= state["share"], cex


def test_a_share_no_float_can_hold_is_reported_exactly() -> None:
    assume = ["state.bill == 100", "3 * state.share == state.bill"]
    r = verify_plan([Step("pay", amount=34.0)], [pay], assume=assume)
    assert not r.ok and r.failed_step == 0
    replays(r, assume, 34.0)


def test_fields_summing_to_one_are_reported_as_floats_that_do() -> None:
    assume = ["state.share + state.rest == 1", "3 * state.share > 1", "3 * state.share < 1.001", "x == 0.7"]
    r = verify_plan([Step("pay", amount=Sym("x"))], [pay], assume=assume)
    assert not r.ok and r.failed_step == 0
    replays(r, assume, Sym("x"))
    # floats exist that satisfy it (a share that is a multiple of 2**-53): those are the ones reported
    assert all(isinstance(v, float) for v in r.counterexample["state"].values()), r.counterexample
