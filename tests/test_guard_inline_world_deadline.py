"""An inline guard that reads the world reads it within the chain's budget: a hanging provider denies.

Fixed: an inline guard (`@guard(inline=True)`) ran the application's `world=` provider in its own
thread with no deadline, so a provider that hung (a database that does not answer) hung the node,
though a budgeted guard reading the same world was denied at its deadline. The author of an inline
guard vouches for the guard, not for the provider: the chain now reads the world for it on a guard
worker, within its budget.
"""

from __future__ import annotations

import threading
import time

from langchain_core.messages import ToolMessage

from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel


def _app(world, *guards):
    paid: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], list(guards),
                  world=world, guard_timeout_s=0.2)
    return agent.compile(), paid


@guard(inline=True)
def within_balance(p, c):
    return ALLOW if p.args["amount"] <= c.world["balance"] else Deny(reason="over balance")


@guard
def budgeted_balance(p, c):
    return ALLOW if p.args["amount"] <= c.world["balance"] else Deny(reason="over balance")


def _pay(app):
    t0 = time.perf_counter()
    out = app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    return msg, time.perf_counter() - t0


def test_a_hanging_world_read_by_an_inline_guard_is_denied_at_the_deadline():
    release = threading.Event()

    def slow_world(state):
        release.wait(5.0)  # a database that does not answer in time
        return {"balance": 100}

    app, paid = _app(slow_world, within_balance)
    try:
        msg, took = _pay(app)
    finally:
        release.set()
    assert took < 1.5, f"the node waited {took:.1f} s for the world, past the chain's 0.2 s budget"
    assert msg.status == "error" and "world provider did not answer within 0.2 s" in msg.content, msg.content
    assert paid == []


def test_an_inline_guard_and_a_budgeted_one_share_one_read_of_the_world():
    reads: list[int] = []

    def world(state):
        reads.append(1)
        return {"balance": 100}

    app, paid = _app(world, within_balance, budgeted_balance)
    msg, _ = _pay(app)
    assert msg.status != "error" and paid == [5], msg.content
    assert len(reads) == 1


def test_a_world_no_inline_guard_reads_is_left_to_the_budgeted_guards():
    reads: list[int] = []

    @guard(inline=True)
    def small_amounts(p, c):
        return ALLOW if p.args["amount"] < 1000 else Deny(reason="too much")

    def world(state):
        reads.append(threading.current_thread().name)
        return {"balance": 100}

    app, paid = _app(world, small_amounts, budgeted_balance)
    msg, _ = _pay(app)
    assert msg.status != "error" and paid == [5], msg.content
    assert len(reads) == 1 and reads[0].startswith("vfa-guard"), reads
