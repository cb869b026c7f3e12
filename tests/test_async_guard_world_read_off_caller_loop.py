"""Under `ainvoke`, an async guard that reads the world never runs the app's sync world provider on the caller's loop.

What must hold (README: the world is "read when a guard first asks for it, within that guard's time budget (a
provider that raises or hangs denies the call, as the guard would)"; "An `acheck` must not block ... the loop, and
every conversation on it, waits"): a world provider is sync by contract (`Agent(world=...)` refuses an async one),
so vfa must not call it on the event loop. A call whose provider hangs is denied at the guard's deadline under
`ainvoke` as it is under `invoke`, and the app's loop keeps running meanwhile.

Fault: `_chain._call_guard` awaits a budgeted `acheck` on the caller's loop (`on_loop`); the guard's
`context.world` then ran the provider on that loop's thread. A provider that took 3 s (a database that does not
answer) stalled the whole loop for 3 s, and the `ainvoke` answered after 3 s, not at the guard's 0.3 s deadline
(a provider that never answers: the app hangs for good, though the call was "denied"); `invoke` denied at 0.3 s.

Fixed: before a check is awaited on the caller's loop the world is read on vfa's thread within its budget
(_chain._world_read_here); a read that raised is raised again by the check's own read.
"""

from __future__ import annotations

import asyncio
import threading
import time

from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, effect
from vfa.testing import ScriptedModel


def _app(world):
    paid: list[int] = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append(amount)
        return "sent"

    class Balance:
        name = "balance"
        timeout_s = 0.3

        async def acheck(self, p, c):
            await asyncio.sleep(0)
            if c.world["balance"] < p.args["amount"]:
                return Deny(reason="over the balance")
            return ALLOW

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "ok"]), [transfer],
                  guards=[Balance()], world=world)
    return agent.compile(checkpointer=InMemorySaver()), paid


async def _run(app, thread: str) -> tuple[list[str], float, float]:
    """The tool messages, how long the call took, and the longest the loop went without running a task."""
    stalls: list[float] = []

    async def beat() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            stalls.append(now - last)
            last = now

    beating = asyncio.create_task(beat())
    t0 = time.perf_counter()
    out = await app.ainvoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": thread}})
    took = time.perf_counter() - t0
    beating.cancel()
    return [m.content for m in out["messages"] if m.type == "tool"], took, max(stalls, default=0.0)


def test_a_hanging_world_provider_denies_at_the_deadline_without_stalling_the_callers_loop():
    stuck = threading.Event()

    def world():
        stuck.wait(3.0)  # a database that does not answer
        return {"balance": 100}

    app, paid = _app(world)
    try:
        texts, took, stall = asyncio.run(_run(app, "a"))
    finally:
        stuck.set()
    assert "did not decide within 0.3 s" in texts[0], texts
    assert paid == []
    assert took < 2.0, f"denied after {took:.2f} s, past the guard's 0.3 s deadline"
    assert stall < 1.0, f"the caller's event loop stalled {stall:.2f} s in the world provider"


def test_an_async_guard_still_reads_the_world_once_and_judges_by_it():
    reads: list[str] = []

    def world():
        reads.append(threading.current_thread().name)
        return {"balance": 100}

    app, paid = _app(world)
    texts, _, _ = asyncio.run(_run(app, "b"))
    assert texts == ["sent"] and paid == [5]
    assert len(reads) == 1 and reads[0] != "MainThread", reads  # read once, off the loop's thread

    app, paid = _app(lambda: {"balance": 1})
    texts, _, _ = asyncio.run(_run(app, "c"))
    assert "over the balance" in texts[0] and paid == []


def test_a_raising_world_provider_denies_naming_its_error():
    def world():
        raise ConnectionError("the accounts database refused the connection")

    app, paid = _app(world)
    texts, _, _ = asyncio.run(_run(app, "d"))
    assert "ConnectionError" in texts[0] and "refused the connection" in texts[0], texts
    assert paid == []
