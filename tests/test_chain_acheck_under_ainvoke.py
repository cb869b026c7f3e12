"""Red team 84: under `ainvoke` a guard's `acheck` is never called when it also has `check`.

Fault. The `Guard` protocol documents `async acheck(proposal, context)` as "used instead of `check`
by async callers (or alone)", but `_call_guard` (vfa/_chain.py) calls `check` whenever the guard has
one, whatever the caller: an async app (`app.ainvoke`, `astream`) is judged by the sync fallback.
A guard whose real check is async (an async policy service, an async database of limits) and whose
`check` is a cheaper or stale stand-in for sync callers is silently bypassed under `ainvoke`: here
the async check denies a payment and the sync one allows it, and the payment is made.

Why not a documented limit: the protocol's docstring (vfa/_guard.py, `Guard`) says the opposite;
the README does not list it.

Expected: under `ainvoke`, a guard defining both is judged by `acheck` (as documented), so the
payment is denied and nothing runs; under `invoke`, `check` (unchanged).
Fixed: `off_loop`, through which every async caller verifies, marks its context `AWAITED`; the chain
prefers `acheck` there.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, effect
from vfa.testing import ScriptedModel


class LimitsGuard:
    """A guard whose authoritative check is async; `check` serves sync callers from a cached copy."""

    name = "limits"

    def __init__(self) -> None:
        self.called: list[str] = []

    def check(self, proposal, context):
        self.called.append("check")
        return ALLOW  # the cached limits: stale

    async def acheck(self, proposal, context):
        self.called.append("acheck")
        await asyncio.sleep(0)
        return Deny(reason="over today's limit")


def _pay_app(limits: LimitsGuard) -> tuple[Any, list[int]]:
    paid: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 500}), "ok"]), [pay], [limits]).compile(
        checkpointer=InMemorySaver())
    return app, paid


def test_acheck_is_used_by_async_callers() -> None:
    limits = LimitsGuard()
    app, paid = _pay_app(limits)
    out = asyncio.run(app.ainvoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "a"}}))
    (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert limits.called == ["acheck"], f"an async caller was judged by {limits.called}"
    assert msg.status == "error" and paid == []


def test_check_is_used_by_sync_callers() -> None:
    limits = LimitsGuard()
    app, paid = _pay_app(limits)
    app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "s"}})
    assert limits.called == ["check"] and paid == [500]
