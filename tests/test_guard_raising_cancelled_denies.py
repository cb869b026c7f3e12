"""A guard that raises `asyncio.CancelledError` crashes the run instead of denying.

What must hold (house rule, `GuardChain`: "errors and time-outs deny (fail closed)"; the README: a guard
that crashes becomes a Deny with the error as evidence): a guard's failure is a denial naming the guard,
whatever it raised, except LangGraph's control signals and what stops the process.

`GuardChain._run_each` (`vfa/_chain.py`) re-raises every exception that is no `Exception`, to let a
`KeyboardInterrupt` through. `asyncio.CancelledError` is no `Exception` either, and an async guard raises
it when what it awaits was cancelled (a shared lookup task another request cancelled, a client closed
under it). No task of vfa's is ever cancelled there: guards run on vfa's own threads, an `acheck` on the
worker's own event loop, so the error is the guard's own failure. Yet it is raised out of the chain:
`invoke` and `ainvoke` both raise LangGraph's `NodeCancelledError` ("Node 'tools' raised
asyncio.CancelledError"), which names no guard and tells the caller its run was cancelled.

Input: `transfer(bob, 70)` with an async guard that raises `CancelledError`. Expected: the call is denied
by that guard, nothing is committed, the run ends normally.

Fixed: `GuardChain._run_each` takes a `CancelledError` for the guard's own failure (guards run on vfa's own
threads, an `acheck` on its worker's own loop) and denies.
"""

from __future__ import annotations

import asyncio

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect, guard
from vfa.testing import ScriptedModel


@pytest.mark.parametrize("run_async", [False, True])
def test_a_guard_raising_cancelled_error_denies(run_async: bool):
    paid: list[int] = []

    @guard(timeout_s=5)
    async def lookup(p, c):
        task = asyncio.ensure_future(asyncio.sleep(10))
        task.cancel()  # cancelled under it, as by another request
        await task

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append(amount)
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 70}), "ok"]), [transfer], guards=[lookup])
    app = agent.compile(checkpointer=InMemorySaver())
    args = ({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    out = asyncio.run(app.ainvoke(*args)) if run_async else app.invoke(*args)
    shown = [m.content for m in out["messages"] if m.type == "tool"]
    assert paid == []
    assert len(shown) == 1 and "denied by guard 'lookup'" in shown[0] and "CancelledError" in shown[0], shown
    assert [e.kind for e in agent.journal.entries("t")][-1] == "denied"
