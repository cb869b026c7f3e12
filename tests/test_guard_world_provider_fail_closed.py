"""Red team 84: a `world=` provider that raises or hangs is outside the guard chain's fail-closed handling.

Fault. `GuardNode.verify` calls the world provider (`Agent(world=callable)`, `ToolGate(world=...)`)
in the node's own thread, before `GuardChain.verify`, so neither of the chain's fail-closed rules
covers it: a provider that hangs (a world read from a database that does not answer) blocks the node
without any deadline (holding the thread's lock, so every later call of the thread waits too) while
`guard_timeout_s` says each check denies past its budget; a provider that raises fails the whole run
with the provider's exception instead of denying the call, so the model never gets an answer and
the other calls of the turn lose theirs.

Why not a documented limit: the README and DESIGN.md say a guard that raises or overruns its time
budget denies ("an exception or a timeout is a Deny (fail closed)"), and `GuardContext.world` is the
world the guards judge with (the provider is "called once per proposal" for them); nothing lists a
world provider as outside that rule.

Expected: a call whose world cannot be read within the guards' budget, or whose provider raises, is
denied (a tool message with status "error", journaled `denied`), promptly, and nothing runs.
Fixed: `GuardContext.world` is read when a guard first asks for it, inside that guard's budget.
"""

from __future__ import annotations

import time

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel


def _app(world):
    paid: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    @guard
    def within_balance(p, c):
        return ALLOW if p.args["amount"] <= c.world["balance"] else Deny(reason="over balance")

    agent = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], [within_balance],
                  world=world, guard_timeout_s=0.2)
    return agent.compile(checkpointer=InMemorySaver()), paid


def test_a_hanging_world_provider_is_denied_at_the_guard_deadline() -> None:
    def slow_world(state):
        time.sleep(2.0)  # a database that does not answer in time
        return {"balance": 100}

    app, paid = _app(slow_world)
    t0 = time.perf_counter()
    out = app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "hang"}})
    took = time.perf_counter() - t0
    (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert took < 1.5, f"the node waited {took:.1f} s for the world, past the guards' 0.2 s budget"
    assert msg.status == "error" and paid == []


def test_a_raising_world_provider_denies_the_call_instead_of_failing_the_run() -> None:
    def broken_world(state):
        raise RuntimeError("ledger database unavailable")

    app, paid = _app(broken_world)
    out = app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "raise"}})
    (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert msg.status == "error" and msg.artifact["vfa"]["outcome"] == "denied" and paid == []
