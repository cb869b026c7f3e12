"""An invariant's lint assumes the tool's agent-level preconditions, as the run time does.

`PolicyInvariant.lint` proves that each tool's updates keep the invariant from every state where it holds
and the tool's precondition holds. It read the precondition from the tool's own `@requires` only, so a
policy whose precondition is an agent-level `PreconditionGuard.for_tool(...)` (which the plan check and the
precondition lint take in as the tool's) was refused at compile time: `withdraw` "can break invariant
`state.balance >= 0` ... from {'amount': 1, 'balance': 0} although its precondition holds", a state that
`0 < amount <= state.balance` denies at run time (the chain runs both guards on every call).

What must hold: the agent compiles (`Agent.lint` passes); the same policy without that precondition is
still refused, and so is one whose agent-level precondition does not keep the invariant.

Fixed: PolicyInvariant.lint_with(guards, tools) adds the tool's agent-level PreconditionGuards to its own
preconditions; lint_guards calls lint_with where a guard has one, instead of lint.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from guards import Policy, PreconditionGuard
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


bank = Policy(Bank)


@effect
@bank.ensures("state.balance -= amount")
def withdraw(amount: int) -> str:
    return "withdrawn"


def agent(*guards: object) -> Agent:
    return Agent(ScriptedModel([]), tools=[withdraw], guards=[*guards, bank.invariant("state.balance >= 0")],
                 world=lambda: Bank(balance=10))


def test_an_agent_level_precondition_keeps_the_invariant() -> None:
    agent(PreconditionGuard.for_tool(withdraw, "0 < amount <= state.balance", state=Bank)).lint()


def test_without_it_the_invariant_can_break() -> None:
    with pytest.raises(PolicyError, match="can break invariant"):
        agent().lint()
    with pytest.raises(PolicyError, match="can break invariant"):
        agent(PreconditionGuard.for_tool(withdraw, "0 < amount <= state.balance + 5", state=Bank)).lint()
