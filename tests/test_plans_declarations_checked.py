"""Plan symbols and Z3 guards declared with the wrong kind fail late, from deep inside, naming nothing.

- `Sym(None)` / `Sym(1)` build; `verify_plan` then raises "unsupported operand type(s) for +: 'NoneType' and
  'str'" from the solver's variable naming. `Sym("")` and `Sym("a b")` build and verify, but no assumption
  can name them, so the developer cannot bound them. A symbol is named by an identifier, refused where written.
- `PolicyInvariant()` (no clause) builds a guard that allows every call: refused as `requires()` with no clause
  is (PolicyError). `PolicyInvariant(None)` is a bare AttributeError ("'NoneType' object has no attribute
  'strip'"), where `requires(None)` says "a precondition must be a non-empty string".
- `PreconditionGuard(None)` / `PreconditionGuard("amount > 0")` is a bare AttributeError ("no attribute
  'tool'"): a TypeError naming what it takes.

Fixed: `Sym` takes an identifier and `PolicyInvariant` clauses of text (`PolicyError` where written);
`PreconditionGuard` of no `Precondition` is a `TypeError` naming it.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from guards import PolicyInvariant, PreconditionGuard, Step, Sym, requires, verify_plan
from vfa import ConfigError, PolicyError


class Account(BaseModel):
    balance: int = 0


@requires("0 < amount <= state.balance", state=Account)
def transfer(amount: int) -> str:
    """Send money."""
    return "sent"


@pytest.mark.parametrize("bad", [None, 1, "", "a b", "1x", "x.y"])
def test_a_symbol_is_named_by_an_identifier(bad):
    with pytest.raises(ConfigError, match="Sym"):
        Sym(bad)


def test_a_named_symbol_still_verifies():
    plan = [Step("transfer", amount=Sym("x"))]
    assert verify_plan(plan, [transfer], assume=["state.balance >= 10", "0 < x", "x <= 10"]).ok
    assert not verify_plan(plan, [transfer], assume=["state.balance >= 10"]).ok


@pytest.mark.parametrize("clauses", [(), (None,), (1,)])
def test_an_invariant_needs_clauses_of_text(clauses):
    with pytest.raises(PolicyError):
        PolicyInvariant(*clauses, state=Account)


@pytest.mark.parametrize("bad", [None, "0 < amount", transfer])
def test_a_precondition_guard_is_built_of_a_precondition(bad):
    with pytest.raises(TypeError, match="Precondition"):
        PreconditionGuard(bad)


@pytest.mark.parametrize(("plan", "named"), [
    ("transfer", "a list of steps"),
    (None, "a list of steps"),
    ({"tool": "transfer"}, "a list of steps"),
    (["transfer"], "step 1 is no step"),
    ([("transfer", {"amount": 5}), ("transfer", None)], "step 2 is no step"),
    ([{"tool": "transfer", "args": None}], "step 1 is no step"),
    ([{"tool": 5, "args": {}}], "step 1 is no step"),
    ([("transfer", {"amount": 5}, "extra")], "step 1 is no step"),
])
def test_a_malformed_plan_is_a_result_not_an_error(plan, named):
    # the plan is the model's: what it got wrong comes back as a result it can read, as for a bad step
    result = verify_plan(plan, [transfer], assume="state.balance >= 10")
    assert not result.ok and named in result.explanation
