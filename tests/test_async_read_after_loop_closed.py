"""A cancelled run's async read, made once its loop has closed, is journaled as the tool's failure.

What must hold (README, exactly once: "A run whose `ainvoke` is cancelled before its effect began ... nothing
is written, and resuming the thread verifies the call again"; house rule: nothing committed or lost for a
failure that is not the tool's): a call of an async tool whose caller's loop is gone is cut off, not failed.
Nothing is recorded for it, and resuming the thread runs it.

A cancelled `ainvoke`'s worker goes on checking the call (`vfa._effects.off_loop`); a read-only tool is run
once the guards allow it (only an effect is held back, `caller_gone`). An async one is awaited on the
caller's loop through `on_loop`, and `asyncio.run_coroutine_threadsafe` on a loop closed meanwhile (the
script's `asyncio.run` ended) raises `RuntimeError: Event loop is closed`, an `Exception`: the journal records
`failed` (terminal), the resumed thread is answered "balance failed: RuntimeError: Event loop is closed"
without running it, and the tool's coroutine is left never awaited (a RuntimeWarning).

Fixed: `on_loop` raises a closed loop as a run cut off (`asyncio.CancelledError`), the awaitable closed.
"""

from __future__ import annotations

import asyncio
import threading
import time

from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def test_an_async_read_whose_loop_closed_is_run_on_resume_not_failed():
    deciding, decide = threading.Event(), threading.Event()
    reads: list[str] = []

    @guard(timeout_s=20)
    def slow(p, c):
        deciding.set()
        decide.wait(20)
        return ALLOW

    async def balance(account: str) -> str:
        """Read an account's balance."""
        reads.append(account)
        return "120"

    agent = Agent(ScriptedModel([("balance", {"account": "a"}), "ok", "ok"]), [balance], guards=[slow])
    app = agent.compile(checkpointer=InMemorySaver())

    async def main() -> None:
        asyncio.ensure_future(app.ainvoke({"messages": [("user", "my balance?")]}, CFG))
        while not deciding.is_set():
            await asyncio.sleep(0.01)

    asyncio.run(main())  # the script ends: its run is cancelled, its loop closed
    decide.set()
    locks = agent.guard_node._turns._locks
    deadline = time.monotonic() + 10
    while "t" in locks and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "t" not in locks
    recorded = [(e.kind, e.data.get("error")) for e in agent.journal.entries("t") if e.kind in ("ran", "failed")]
    assert recorded == [], f"a call cut off with its loop is on record as {recorded}"

    out = asyncio.run(app.ainvoke(None, CFG))
    assert [m.content for m in out["messages"] if m.type == "tool"] == ["120"]
    assert reads == ["a"]
