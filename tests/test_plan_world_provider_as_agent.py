"""`plan_execute(agent, world=...)` takes a world provider as `Agent(world=...)` does.

What must hold (one name per concept: `world` is the same thing in `Agent` and in `plan_execute`; house rule
"bad input gets a clear error"): a provider taking the graph's state (`lambda state: bank`), which `Agent`
accepts, is read as the world the plan starts from, with the state the plan's step runs in; an async
provider is refused when the graph is built (`ConfigError`), as `Agent` refuses it.

Seen at 5488599: `plan_execute` called its `world` with no argument, so a provider taking the state raised
TypeError at run time and every plan was rejected ("it could not be verified: TypeError: <lambda>() missing
1 required positional argument: 'state'"), shown to the model; an async provider was taken and every plan
rejected at run time; the agent's own provider was read with an empty state (`{}`), not the run's.

Fixed: the plan's world goes through the agent's provider wrapper and is given the check's state.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


def _agent(world: Bank, committed: list[int], agent_world: Any = None) -> Agent:
    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        committed.append(amount)
        return "sent"

    plan = [("transfer", {"to": "alice", "amount": 60}), ("transfer", {"to": "bob", "amount": 30})]
    return Agent(ScriptedModel([plan, "done"]), [transfer], world=agent_world or (lambda: world))


def _run(builder: Any) -> None:
    builder.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "pay")]},
                                                          {"configurable": {"thread_id": "t"}})


def test_a_world_provider_taking_the_state_is_read_as_the_agents_is() -> None:
    world, committed, seen = Bank(balance=100), [], []

    def provider(state: Any) -> Bank:
        seen.append(len(state.get("messages") or []))
        return world

    _run(plan_execute(_agent(world, committed), world=provider))
    assert committed == [60, 30], committed
    assert seen and all(n > 0 for n in seen), seen  # read with the run's state


def test_the_agents_provider_taking_the_state_is_given_the_runs_state() -> None:
    world, committed, seen = Bank(balance=100), [], []

    def provider(state: Any) -> Bank:
        seen.append(len(state.get("messages") or []))
        return world

    _run(plan_execute(_agent(world, committed, agent_world=provider)))
    assert committed == [60, 30], committed
    assert seen and all(n > 0 for n in seen), seen


def test_an_async_world_provider_is_refused_when_the_graph_is_built() -> None:
    async def provider() -> Bank:
        return Bank(balance=100)

    with pytest.raises(ConfigError, match="async"):
        plan_execute(_agent(Bank(balance=100), []), world=provider)
