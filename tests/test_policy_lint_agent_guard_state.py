"""Lint of a tool whose own `@requires` declares no state, with an agent-level precondition over `state.*`.

`PreconditionGuard.for_tool(tool, ..., state=World)` may read the world while the tool's own clauses do
not: the lint must use the state type that one declares, so the agent compiles (or gets a `PolicyError`
for a real conflict), never a bare `KeyError: ('state', 'balance')`.

Fixed: the lint reads the state type whichever precondition or postcondition declares one.
"""

import pytest
from pydantic import BaseModel

from guards import PreconditionGuard, requires
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class World(BaseModel):
    balance: int


@effect
@requires("amount > 0")
def pay(amount: int) -> str:
    """Pay."""
    return "ok"


def test_an_agent_level_precondition_over_the_state_lints() -> None:
    guard = PreconditionGuard.for_tool(pay, "amount <= state.balance", state=World)
    Agent(ScriptedModel([]), tools=[pay], guards=[guard], world=World(balance=5)).lint()


def test_a_conflict_with_it_is_a_policy_error() -> None:
    guard = PreconditionGuard.for_tool(pay, "amount + state.balance < state.balance", state=World)
    with pytest.raises(PolicyError, match="can never hold") as info:
        Agent(ScriptedModel([]), tools=[pay], guards=[guard], world=World(balance=5)).lint()
    assert set(info.value.clauses) == {"amount > 0", "amount + state.balance < state.balance"}


def test_two_state_types_for_one_tool_are_a_policy_error() -> None:
    """A tool's own precondition over one state type and an agent-level one over another: a `PolicyError`
    naming both (it was a bare `KeyError` for the field only the second has)."""
    from pydantic import BaseModel as _Model

    class A(_Model):
        balance: int

    class B(_Model):
        balance: int
        limit: int

    @requires("amount <= state.balance", state=A)
    @effect
    def spend(amount: int) -> str:
        """Spend."""
        return "ok"

    guard = PreconditionGuard.for_tool(spend, "amount <= state.limit", state=B)
    with pytest.raises(PolicyError, match=r"2 state types \(A, B\)"):
        Agent(ScriptedModel([]), tools=[spend], guards=[guard], world=B(balance=1, limit=1)).lint()
