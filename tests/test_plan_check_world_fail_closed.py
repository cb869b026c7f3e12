"""Red team 132: the plan-then-execute graph's plan check is not fail closed when the world cannot be read.

Fault. `graphs.plan_execute`'s `verify_plan` node (the plan's guard, `PLAN_GUARD`) reads the current
world and calls `guards.verify_plan` in the node's own thread, outside any guard chain: a world
provider that raises (a database that is down) fails the whole run with its exception; a world the
precondition types refuse (a bool where an int is declared, a None where a str is) raises the
`PolicyError` meant for a developer's malformed assumption, and also ends the run; and a provider
that hangs blocks the run with no deadline, while the agent's `guard_timeout_s` says a guard that
overruns its budget denies. The agent's own guard node denies the same call in each of these cases
(red team 84 fixed that for `GuardNode`), so only the plan path crashes or hangs.

Why it matters: the README's standard is that a guard that raises or overruns its budget denies, and
bad input gets a clear error with nothing committed; a crashed run leaves the model without an answer
to its calls, and a hung one holds the thread.

Expected: the plan is rejected before its first step (each call answered with an error tool message
that names the problem), promptly, and nothing runs.

Fixed: the plan check reads the world within the chain's budget (`_within`) and rejects the plan,
naming the error, when reading it or `verify_plan` raises; the rejection goes through the flow as others do.
"""

from __future__ import annotations

import time

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import Agent, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int
    payees: set[str] = set()


def _app(world):
    bank = Policy(Bank)
    committed: list[tuple[str, int]] = []

    @effect
    @bank.requires("0 < amount <= state.balance", "to in state.payees or amount <= 100")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        committed.append((to, amount))
        return "sent"

    agent = Agent(ScriptedModel([[("transfer", {"to": "alice", "amount": 50})], "done"]), [transfer],
                  world=world, guard_timeout_s=0.2)
    return plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver()), committed


def _run(app, thread: str):
    return app.invoke({"messages": [("user", "pay alice 50")]}, {"configurable": {"thread_id": thread}})


def _rejections(out) -> list[ToolMessage]:
    return [m for m in out["messages"] if isinstance(m, ToolMessage)]


def test_a_world_provider_that_raises_rejects_the_plan_instead_of_crashing_the_run() -> None:
    def down():
        raise ConnectionError("world store is down")

    app, committed = _app(down)
    out = _run(app, "raises")  # before the fix: ConnectionError escaped app.invoke
    (msg,) = _rejections(out)
    assert msg.status == "error" and "plan rejected" in msg.content, msg.content
    assert "ConnectionError" in msg.content, msg.content  # names what went wrong
    assert committed == []


def test_a_world_the_types_refuse_rejects_the_plan_instead_of_crashing_the_run() -> None:
    # a bool where the state declares an int: the guard node denies it; the plan check raised PolicyError
    app, committed = _app(lambda: Bank.model_construct(balance=True, payees={"alice"}))
    out = _run(app, "bool")
    (msg,) = _rejections(out)
    assert msg.status == "error" and "plan rejected" in msg.content, msg.content
    assert "state.balance = True is not a valid int" in msg.content, msg.content
    assert committed == []


def test_a_hanging_world_provider_rejects_the_plan_at_the_guard_deadline() -> None:
    def slow():
        time.sleep(2.0)  # a database that does not answer in time
        return Bank(balance=1000, payees={"alice"})

    app, committed = _app(slow)
    t0 = time.perf_counter()
    out = _run(app, "hangs")
    took = time.perf_counter() - t0
    assert took < 1.5, f"the plan check waited {took:.1f} s for the world, past the guards' 0.2 s budget"
    (msg,) = _rejections(out)
    assert msg.status == "error" and "plan rejected" in msg.content, msg.content
    assert committed == []
