"""The invariant lint takes a tool's declared argument bounds as facts, with or without a precondition.

What must hold: `deposit(amount: Annotated[int, Field(ge=0)])` with `ensures("state.balance += amount")` keeps
`state.balance >= 0`: the run time refuses a negative amount before any guard judges it (the tool's schema and
`convert` both check the bound). So `PolicyInvariant.lint` and `Agent.lint` pass it, as they do when the tool
also has a precondition (`amount <= 1000`), whose own bounds the lint reads. A tool whose bound leaves the
invariant breakable is still reported.

Before, the invariant lint read argument bounds from a tool's preconditions only (`_frame` took each
`Precondition.arg_bounds`; a `Postcondition` kept none): a tool with `ensures` and no `requires` was refused at
compile time with the counterexample `amount = -1`, a call no run can make.

Fixed: Postcondition keeps the arguments' declared bounds and the lint's frame reads them.
"""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from guards import Policy
from vfa import Agent, PolicyError, ToolSpec, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


bank = Policy(Bank)


@effect
@bank.ensures("state.balance += amount")
def deposit(amount: Annotated[int, Field(ge=0)]) -> str:
    """Deposit."""
    return "ok"


@effect
@bank.requires("amount <= 1000")
@bank.ensures("state.balance += amount")
def capped_deposit(amount: Annotated[int, Field(ge=0)]) -> str:
    """Deposit at most 1000."""
    return "ok"


@effect
@bank.ensures("state.balance -= amount")
def withdraw(amount: Annotated[int, Field(ge=0)]) -> str:
    """Withdraw."""
    return "ok"


def test_a_bound_declared_without_a_precondition_is_a_fact() -> None:
    bank.invariant("state.balance >= 0").lint({"deposit": ToolSpec.of(deposit)})


def test_the_same_with_a_precondition_passes_too() -> None:
    bank.invariant("state.balance >= 0").lint({"capped_deposit": ToolSpec.of(capped_deposit)})


def test_the_agent_compiles() -> None:
    Agent(ScriptedModel([]), tools=[deposit], guards=[bank.invariant("state.balance >= 0")],
          world=Bank(balance=0)).lint()


def test_a_breakable_invariant_is_still_reported() -> None:
    with pytest.raises(PolicyError, match="can break invariant"):
        bank.invariant("state.balance >= 0").lint({"withdraw": ToolSpec.of(withdraw)})
