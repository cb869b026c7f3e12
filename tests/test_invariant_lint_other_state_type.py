"""An invariant's lint names two state types as a `PolicyError`, never a raw `KeyError`.

`PolicyInvariant.lint_with` (e5f3ccb) now adds a tool's agent-level `PreconditionGuard.for_tool(...)`
clauses to the tool's own before proving the invariant. A precondition declared over another state type
(`Limits`, where the invariant and the tool's `ensures` are over `Bank`) reads a field the invariant's
frame has no variable for, and `Agent.lint()` raised `KeyError: ('state', 'limit')` from deep inside Z3's
translation whenever the invariant came first among the agent's guards (listed after it,
`PreconditionGuard.lint` said it clearly: "the conditions of 'withdraw' declare 2 state types ... the world
is one object"). A tool's own `@requires` over another type met the same KeyError.

What must hold (a clear error naming the problem): `Agent.lint()` raises `PolicyError` naming both state
types, whatever the order of the guards and wherever the precondition is declared.

Fixed: _lint_tool raises a PolicyError naming both state types.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from guards import Policy, PreconditionGuard
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


class Limits(BaseModel):
    limit: int


bank = Policy(Bank)
limits = Policy(Limits)


@effect
@bank.ensures("state.balance -= amount")
def withdraw(amount: int) -> str:
    return "withdrawn"


@effect
@limits.requires("0 < amount <= state.limit")
@bank.ensures("state.balance -= amount")
def withdraw_capped(amount: int) -> str:
    return "withdrawn"


def _lint(tool: object, *guards: object) -> None:
    Agent(ScriptedModel([]), tools=[tool], guards=list(guards), world=lambda: Bank(balance=10)).lint()


@pytest.mark.parametrize("invariant_first", [True, False])
def test_an_agent_level_precondition_over_another_type(invariant_first: bool) -> None:
    inv = bank.invariant("state.balance >= 0")
    pre = PreconditionGuard.for_tool(withdraw, "0 < amount <= state.limit", state=Limits)
    with pytest.raises(PolicyError, match=r"Limits.*Bank|Bank.*Limits"):
        _lint(withdraw, *((inv, pre) if invariant_first else (pre, inv)))


def test_a_tools_own_precondition_over_another_type() -> None:
    with pytest.raises(PolicyError, match=r"Limits.*Bank|Bank.*Limits"):
        _lint(withdraw_capped, bank.invariant("state.balance >= 0"))
