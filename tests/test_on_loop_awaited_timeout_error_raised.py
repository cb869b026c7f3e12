"""What vfa awaits on an event loop from a thread (`on_loop`) may itself raise `TimeoutError`: it is that error.

What must hold (house rules: fail closed, never hang; README: an effect's own failure is recorded, the call
answered "failed"): an async effect whose API call times out (`asyncio.wait_for`, `asyncio.timeout`, aiohttp's
`ServerTimeoutError`, `socket.timeout`: all `TimeoutError`) fails under `ainvoke` as it fails under `invoke`, and
an async guard that raises one denies. A world provider that raises its own `TimeoutError` is denied with its words.

Fault: `vfa/_effects.py` `on_loop` polled `future.result(timeout=0.25)` and read every
`concurrent.futures.TimeoutError` as "not done yet"; since Python 3.11 that is the builtin `TimeoutError`, so a
finished future holding one was polled again for ever: the `ainvoke` never returned, its thread spun at full CPU
holding the conversation's lock, the start stayed open (and the process could not exit: `_CALLS` threads are
joined at exit). `invoke` answered "transfer failed: TimeoutError". `_chain._within` read a provider's own
`TimeoutError` as its deadline: "did not answer within 1 s" for a provider that answered at once.

Fixed: on_loop raises a finished future's TimeoutError as it is; _within tells a provider's own TimeoutError
as it is.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import pytest

from vfa._effects import on_loop

_CHILD = r"""
import asyncio
from langgraph.checkpoint.memory import InMemorySaver
from vfa import ALLOW, Agent, effect, guard
from vfa.testing import ScriptedModel

@effect
async def transfer(to: str, amount: int) -> str:
    '''Send money.'''
    await asyncio.wait_for(asyncio.sleep(10), 0.05)  # the bank's API does not answer in time
    return "sent"

@guard(inline=True)
async def moderation(p, c):
    await asyncio.wait_for(asyncio.sleep(10), 0.05)  # the moderation service does not answer in time
    return ALLOW

def texts(out):
    return [m.content for m in out["messages"] if m.type == "tool"]

def app(guards):
    script = [("transfer", {"to": "bob", "amount": 1}), "ok"]
    return Agent(ScriptedModel(script), [transfer], guards=guards).compile(checkpointer=InMemorySaver())

cfg = {"configurable": {"thread_id": "t"}}
print("invoke", texts(app([]).invoke({"messages": [("user", "pay")]}, cfg)), flush=True)
print("ainvoke", texts(asyncio.run(app([]).ainvoke({"messages": [("user", "pay")]}, cfg))), flush=True)
print("guard", texts(asyncio.run(app([moderation]).ainvoke({"messages": [("user", "pay")]}, cfg))), flush=True)
"""


def test_an_async_effect_or_guard_raising_timeout_error_under_ainvoke_fails_or_denies():
    try:
        child = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the run hung; it printed: {exc.stdout!r}")
    assert child.returncode == 0, child.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in child.stdout.splitlines())
    assert "transfer failed: TimeoutError" in lines["invoke"]
    assert "transfer failed: TimeoutError" in lines["ainvoke"], lines
    assert "transfer denied by guard" in lines["guard"] and "raised TimeoutError" in lines["guard"], lines


def test_on_loop_hands_a_timeout_error_of_the_awaited_on():
    loop = asyncio.new_event_loop()
    runner = threading.Thread(target=loop.run_forever, daemon=True)
    runner.start()
    got: list[BaseException] = []

    async def times_out() -> None:
        raise TimeoutError("the service did not answer")

    def wait() -> None:
        try:
            on_loop(times_out(), loop)
        except BaseException as exc:  # noqa: BLE001 - what it raised is the test's to see
            got.append(exc)

    waiter = threading.Thread(target=wait, daemon=True)  # a daemon: a spin must not hold the test run
    waiter.start()
    waiter.join(5)
    try:
        assert not waiter.is_alive(), "on_loop kept waiting for an awaitable that had raised TimeoutError"
        assert len(got) == 1 and type(got[0]) is TimeoutError and "did not answer" in str(got[0]), got
    finally:
        loop.call_soon_threadsafe(loop.stop)
        runner.join(5)
        if not waiter.is_alive():
            loop.close()


def test_a_world_providers_own_timeout_error_is_told_as_it_is():
    from langgraph.checkpoint.memory import InMemorySaver

    from vfa import ALLOW, Agent, effect, guard
    from vfa.testing import ScriptedModel

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    @guard(inline=True)
    def balance(p, c):
        return ALLOW if c.world["balance"] >= p.args["amount"] else None

    def world():
        raise TimeoutError("the accounts database read timed out")

    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "ok"]), [transfer], guards=[balance],
                world=world, guard_timeout_s=30).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "w"}})
    text = [m.content for m in out["messages"] if m.type == "tool"][0]
    assert "the accounts database read timed out" in text and "did not answer within" not in text, text
