"""An agent whose preconditions read the world (`state.*`) but that was given no world is refused when it compiles.

Without `world=`, every guard reads `GuardContext.world` as None, so a precondition over `state.balance`
denied every call at run time with "AttributeError: 'NoneType' object has no attribute 'balance'": fail
closed, but far from the slip, and only once a model proposed a call.

Fixed: `Agent.compile()` raises `PolicyError` naming the guard and `world=`; a precondition
over the arguments alone needs no world.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from guards import Policy
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


def _transfer(clause: str):
    bank = Policy(Bank)

    @effect
    @bank.requires(clause)
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return f"sent {amount} to {to}"

    return transfer


def test_a_precondition_over_the_world_needs_a_world() -> None:
    agent = Agent(ScriptedModel(["done"]), [_transfer("amount <= state.balance")])
    with pytest.raises(PolicyError, match=r"requires:transfer.*world=") as caught:
        agent.compile()
    assert "state" in str(caught.value)


def test_the_same_agent_with_a_world_and_one_over_arguments_alone_compile() -> None:
    Agent(ScriptedModel(["done"]), [_transfer("amount <= state.balance")], world=Bank(balance=10)).compile()
    Agent(ScriptedModel(["done"]), [_transfer("0 < amount <= 100")]).compile()
