"""A guard that raises a `BaseException` other than what stops the process crashes the run instead of denying.

What must hold (docs/kernel.md "What you get": "A guard that raises or overruns its time budget denies (fail
closed)"; `tests/test_guard_raising_cancelled_denies.py`: a guard's failure is a denial naming the guard,
whatever it raised, except LangGraph's control signals and what stops the process): a guard raising a
`BaseException` subclass that is neither `KeyboardInterrupt` nor `SystemExit` denies its call, and nothing
is committed.

`GuardChain._run_each` (`vfa/_chain.py`) re-raises every exception that is no `Exception` (bar
`CancelledError`). Libraries raise such errors from code a guard awaits or calls: gevent's `Timeout`,
trio's `Cancelled` (anyio under trio), pytest's `fail()`, a `GeneratorExit` from an async generator the
guard closes badly. They are the guard's own failure (guards run on vfa's own threads, where nothing of
vfa's raises them), yet `invoke` and `ainvoke` raise them out of the run, naming no guard and ending the
run with no answer for the model; a `GeneratorExit` raised out of LangGraph's async runner even breaks
its `atick` generator ("aclose(): asynchronous generator is already running").

Input: `transfer(bob, 70)` with a sync or async guard raising a custom `BaseException` subclass or
`GeneratorExit`. Expected: the call is denied by that guard, naming what it raised; nothing is committed;
the run ends normally.

Fixed: only LangGraph's interrupts, KeyboardInterrupt and SystemExit pass a guard; any other BaseException
denies, naming the guard and what it raised (vfa/_chain.py, _run_each).
"""

from __future__ import annotations

import asyncio

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect, guard
from vfa.testing import ScriptedModel


class Halt(BaseException):
    """A library's cancellation or test-outcome signal (gevent's `Timeout`, trio's `Cancelled`)."""


@pytest.mark.parametrize("run_async", [False, True], ids=["invoke", "ainvoke"])
@pytest.mark.parametrize("async_guard", [False, True], ids=["check", "acheck"])
@pytest.mark.parametrize("raised", [Halt, GeneratorExit])
def test_a_guard_raising_a_base_exception_denies(raised: type[BaseException], async_guard: bool, run_async: bool):
    paid: list[int] = []

    if async_guard:
        @guard(timeout_s=5)
        async def lookup(p, c):
            raise raised("the lookup gave up")
    else:
        @guard(timeout_s=5)
        def lookup(p, c):
            raise raised("the lookup gave up")

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
    assert len(shown) == 1 and "denied by guard 'lookup'" in shown[0] and raised.__name__ in shown[0], shown
    assert [e.kind for e in agent.journal.entries("t")][-1] == "denied"


def test_keyboard_interrupt_still_passes():
    """What stops the process is not taken for the guard's verdict (a stated choice, kept)."""

    @guard(timeout_s=5)
    def stop(p, c):
        raise KeyboardInterrupt

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        raise AssertionError("never run")

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 70}), "ok"]), [transfer], guards=[stop])
    app = agent.compile(checkpointer=InMemorySaver())
    with pytest.raises(KeyboardInterrupt):
        app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
