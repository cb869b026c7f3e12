"""`graphs.guard_tool` of an `@effect` (which its own error message says it takes) runs the effect.

`guard_tool(pay, gate=...)` with `pay` an `@effect` object was accepted, but every call failed, journaled as
"pay failed: AttributeError: 'Effect' object has no attribute 'invoke'": the gate ran the tool as a
LangChain tool, which an `Effect` is not. A node of the app's own calling its effect through the gate, as
the README's "a call run through `guard_tool` by a node of your own" asks, could never commit it.

What must hold: an `@effect` given to `guard_tool` (sync or async, under its own name) is verified and
committed, plain arguments or a tool call, `invoke` or `ainvoke`; a denial still keeps it unrun.

Where: `graphs/_tools.py` `guard_tool`.

Fixed: graphs.guard_tool turns an Effect into a StructuredTool under its own name and description (an async
one as its coroutine).
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import ToolMessage

from graphs import ToolGate, guard_tool
from vfa import ALLOW, Deny, effect, guard


@guard
def allow(p, c):
    return ALLOW


@guard
def deny(p, c):
    return Deny(reason="no")


def test_guard_tool_of_a_sync_effect_commits_it():
    ran: list[int] = []

    @effect(name="pay_bill")
    def pay(amount: int) -> str:
        """Pay an amount."""
        ran.append(amount)
        return f"paid {amount}"

    gated = guard_tool(pay, gate=ToolGate([allow]))
    assert gated.name == "pay_bill"
    assert gated.invoke({"amount": 5}) == "paid 5"
    out = gated.invoke({"name": "pay_bill", "args": {"amount": 7}, "id": "c1", "type": "tool_call"})
    assert isinstance(out, ToolMessage) and out.status == "success" and out.content == "paid 7"
    assert asyncio.run(gated.ainvoke({"amount": 6})) == "paid 6"
    assert ran == [5, 7, 6]


def test_guard_tool_of_an_async_effect_commits_it_when_awaited():
    ran: list[int] = []

    @effect
    async def pay(amount: int) -> str:
        """Pay an amount."""
        ran.append(amount)
        return f"paid {amount}"

    gated = guard_tool(pay, gate=ToolGate([allow]))
    assert asyncio.run(gated.ainvoke({"amount": 5})) == "paid 5"
    assert ran == [5]


def test_a_denied_call_of_a_guarded_effect_never_runs_it():
    ran: list[int] = []

    @effect
    def pay(amount: int) -> str:
        """Pay an amount."""
        ran.append(amount)
        return "paid"

    out = guard_tool(pay, gate=ToolGate([deny])).invoke({"amount": 5})
    assert isinstance(out, ToolMessage) and out.status == "error" and "no" in out.content
    assert ran == []
