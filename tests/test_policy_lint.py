"""Policy lint at compile time: every error class, with the clauses (unsat cores) it names."""

from __future__ import annotations

import warnings

import pytest
from pydantic import BaseModel, Field

from guards import Policy, PolicyLintWarning, PreconditionGuard
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class Ledger(BaseModel):
    balance: int = Field(ge=0)
    daily_limit: int
    spent_today: int
    payees: set[str]
    locked: bool


ledger = Policy(Ledger)


def tool(*clauses: str, posts: tuple[str, ...] = ()):
    def transfer(to: str, amount: int) -> str:
        return "sent"

    fn = ledger.requires(*clauses)(transfer)
    if posts:
        fn = ledger.ensures(*posts)(fn)
    return effect(fn)


def lint(t, *guards) -> None:
    Agent(ScriptedModel([]), tools=[t], guards=list(guards)).lint()


def test_a_sound_policy_lints_clean() -> None:
    t = tool("0 < amount <= state.balance", "to in state.payees or amount <= 100", "not state.locked",
             posts=("state.balance -= amount", "state.spent_today += amount"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lint(t, ledger.invariant("state.spent_today >= 0"))  # spent only grows (amount > 0)


def test_unsatisfiable_precondition_names_its_unsat_core() -> None:
    t = tool("amount > 0", "to in state.payees", "amount + state.balance < 0")
    with pytest.raises(PolicyError, match="can never hold") as info:
        lint(t)
    # the core: the two clauses that conflict (with the type bound balance >= 0), not the payee clause
    assert set(info.value.clauses) - {"type of state.balance"} == {"amount > 0", "amount + state.balance < 0"}


def test_valid_clause_checks_nothing() -> None:
    t = tool("amount > 0", "amount * amount >= 0")
    with pytest.raises(PolicyError, match="checks nothing") as info:
        lint(t)
    assert info.value.clauses == ("amount * amount >= 0",)


def test_clause_valid_under_declared_field_bounds() -> None:
    with pytest.raises(PolicyError, match="checks nothing") as info:
        lint(tool("amount > 0", "state.balance >= 0 or state.locked"))  # balance: Field(ge=0)
    assert info.value.clauses == ("state.balance >= 0 or state.locked",)


def test_postcondition_contradicting_its_precondition() -> None:
    t = tool("amount > 0", posts=("state.balance -= amount", "state.balance > state.balance + amount"))
    with pytest.raises(PolicyError, match="postcondition of 'transfer' contradicts its precondition") as info:
        lint(t)
    assert set(info.value.clauses) == {"amount > 0", "state.balance > state.balance + amount"}


def test_postcondition_that_can_break_an_invariant_guard() -> None:
    t = tool("amount > 0", "amount <= state.daily_limit", posts=("state.balance -= amount",))
    with pytest.raises(PolicyError, match="can break invariant `state.balance >= 0`") as info:
        lint(t, ledger.invariant("state.balance >= 0"))
    assert "invariant: state.balance >= 0" in info.value.clauses and "state.balance -= amount" in info.value.clauses
    assert "'balance': 0" in str(info.value)  # the counterexample state


def test_invariant_guard_contradicting_a_precondition() -> None:
    t = tool("amount > 0", "state.locked")
    with pytest.raises(PolicyError, match="can never run while invariant") as info:
        lint(t, ledger.invariant("not state.locked"))
    assert set(info.value.clauses) == {"invariant: not state.locked", "state.locked"}


def test_two_guards_preconditions_contradicting_each_other() -> None:
    t = tool("0 < amount <= 500")
    agent_level = PreconditionGuard.for_tool(t, "amount >= 1000", state=Ledger)
    with pytest.raises(PolicyError, match="can never hold") as info:
        lint(t, agent_level)
    assert set(info.value.clauses) == {"0 < amount <= 500", "amount >= 1000"}


def test_unknown_field_and_argument_fail_before_any_agent_exists() -> None:
    with pytest.raises(PolicyError, match="`state` has no field `balanse`") as info:
        tool("amount <= state.balanse")
    assert info.value.clauses == ("amount <= state.balanse",)
    with pytest.raises(PolicyError, match="unknown name `amout`"):
        tool("amout > 0")
    with pytest.raises(PolicyError, match="has no field `overdraft`"):
        tool("amount > 0", posts=("state.overdraft += amount",))


def test_agent_compile_runs_the_lint() -> None:
    with pytest.raises(PolicyError, match="can never hold"):
        Agent(ScriptedModel([]), tools=[tool("amount > 5", "amount < 3")]).compile()


def test_undecidable_lint_is_a_warning_not_a_pass() -> None:
    from guards import _policy_lint

    t = tool("amount > 0", "amount * amount * amount + state.spent_today * state.spent_today * state.spent_today"
             " != state.daily_limit * state.daily_limit * state.daily_limit or amount < 10")
    old = _policy_lint.LINT_TIMEOUT_MS
    _policy_lint.LINT_TIMEOUT_MS = 1
    try:
        with pytest.warns(PolicyLintWarning):
            lint(t)
    finally:
        _policy_lint.LINT_TIMEOUT_MS = old
