"""Red team 74: a precondition was checked against the world while another call of the same turn was
mid-commit, so two payments that together overdraw the account both passed `amount <= state.balance`.

`create_agent` sends each tool call to its tool node as a task of its own, and the gate verified and
committed each with no ordering between them: both transfers of 80 read balance 100 and both committed
(balance -60). vfa's own Agent (calls in turn) denies the second. Now a guard node verifies and
commits the calls of one thread one after another (`_OneAtATime`), sync and async alike, so the
second call is checked against the world the first left.
"""

from __future__ import annotations

import asyncio
import time

from langchain.agents import create_agent
from langchain_core.tools import tool
from pydantic import BaseModel

from graphs import GuardMiddleware
from guards import requires
from vfa import Agent, effect
from vfa.testing import ScriptedModel

TURN = [[("pay", {"to": "bob", "amount": 80}), ("pay", {"to": "carol", "amount": 80})], "ok"]


class Account(BaseModel):
    balance: int


def _pay(acct: Account, sent: list):
    @requires("0 < amount <= state.balance", state=Account)
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        time.sleep(0.3)  # a slow payment API
        acct.balance -= amount
        sent.append((to, amount))
        return f"paid {amount} to {to}"
    return pay


def test_vfa_agent_denies_the_overdraft() -> None:  # the reference behaviour (passes)
    acct, sent = Account(balance=100), []
    app = Agent(ScriptedModel(TURN), [effect(_pay(acct, sent))], world=lambda: acct).compile()
    app.invoke({"messages": [("user", "pay both")]}, {"configurable": {"thread_id": "t"}})
    assert acct.balance == 20 and len(sent) == 1


def test_create_agent_calls_of_one_turn_cannot_overdraw_together() -> None:
    acct, sent = Account(balance=100), []
    mw = GuardMiddleware(world=lambda: acct)
    agent = create_agent(ScriptedModel(TURN), [tool(_pay(acct, sent))], middleware=[mw])
    agent.invoke({"messages": [("user", "pay both")]}, {"configurable": {"thread_id": "t"}})
    assert acct.balance >= 0, f"both payments passed `amount <= state.balance`: {sent}, balance {acct.balance}"


def test_create_agent_async_calls_of_one_turn_cannot_overdraw_together() -> None:
    acct, sent = Account(balance=100), []
    mw = GuardMiddleware(world=lambda: acct)
    agent = create_agent(ScriptedModel(TURN), [tool(_pay(acct, sent))], middleware=[mw])
    asyncio.run(agent.ainvoke({"messages": [("user", "pay both")]}, {"configurable": {"thread_id": "t"}}))
    assert acct.balance == 20 and len(sent) == 1, (acct.balance, sent)


def test_calls_of_other_threads_still_run_at_once() -> None:
    acct, sent = Account(balance=1000), []
    mw = GuardMiddleware(world=lambda: acct)
    agent = create_agent(ScriptedModel(TURN), [tool(_pay(acct, sent))], middleware=[mw])

    async def both() -> None:
        await asyncio.gather(*(agent.ainvoke({"messages": [("user", "pay both")]},
                                             {"configurable": {"thread_id": t}}) for t in ("a", "b")))

    t0 = time.perf_counter()
    asyncio.run(both())
    took = time.perf_counter() - t0
    assert len(sent) == 4 and acct.balance == 680
    assert took < 4 * 0.3, f"two threads' calls waited for each other: {took:.2f} s"  # two at a time: ~0.6 s
