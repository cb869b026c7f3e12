"""An async `world=` provider is accepted, then every call is denied with a message that names no cause.

What must hold (house rule: bad input gets a clear error naming the problem; README, `Agent(world=...)`:
"an object, or a callable returning it"): the world is read synchronously, inside a guard's budget
(`GuardContext.world`), so an `async def` provider (an async app's natural way to read balances from its
async database) cannot work. It must be refused where it is given, naming the provider and the fix, not
accepted and then handed to every guard as a coroutine object.

Today `Agent(world=async_fn)` compiles; under `ainvoke` as under `invoke` each guard reading the world gets
the coroutine, so every call is denied with "could not read a value the precondition needs:
AttributeError(\"'coroutine' object has no attribute 'balance'\")" and Python warns "coroutine 'world' was
never awaited" once per call: nothing says the provider is async.

Expected: `Agent(..., world=async_fn)` raises `ConfigError` naming the provider and that it is async; a
sync provider that returns an awaitable anyway (a lambda around an async function) denies its call with a
reason saying so, and the awaitable is closed, not left unawaited.

Fixed: an async world provider is refused with a ConfigError naming it when the agent is built; a sync
provider that returns an awaitable denies its call saying so, the awaitable closed (vfa/_guard_node.py,
_world_provider).
"""

from __future__ import annotations

import asyncio

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from guards import requires
from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel


class Account(BaseModel):
    balance: int


def _pay():
    @effect
    @requires("0 < amount <= state.balance", state=Account)
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        return "paid"

    return pay


def test_an_async_world_provider_is_refused_where_it_is_given():
    async def read_account():
        return Account(balance=100)

    with pytest.raises(ConfigError, match=r"read_account.*async"):
        Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [_pay()], world=read_account)


def test_a_world_provider_returning_an_awaitable_denies_saying_so():
    made: list = []

    async def read_account():
        return Account(balance=100)

    def provider():
        made.append(read_account())
        return made[-1]

    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [_pay()], world=provider)
    app = agent.compile(checkpointer=InMemorySaver())
    out = asyncio.run(app.ainvoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}}))
    shown = [m.content for m in out["messages"] if m.type == "tool"]
    assert len(shown) == 1 and "denied" in shown[0] and "world provider returned" in shown[0], shown
    assert made and all(c.cr_frame is None for c in made), "the coroutine was left unawaited, never closed"
