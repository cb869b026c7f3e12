"""An `ainvoke` cancelled while its call is being checked still runs the effect afterwards.

`GuardNode._afunc` (and the retrofit gate's `awrap_tool_call`) run a call's blocking half, its guards and
then its commit, on a `_CALLS` thread through `vfa._effects.off_loop`. Cancelling the awaiting task
(`asyncio.wait_for`'s timeout around `ainvoke`, a closed request, Ctrl-C's cancellation) ends the `await`
but not the thread: once the guards decide, the thread writes the start and runs the effect, for a run
whose caller has already been told it was cancelled and whose step LangGraph will never save. Nothing
had begun when the caller gave up, yet the payment goes out later, unseen (the client, told its request
timed out, sends "pay bob" again: a new turn, a new call id, and nothing asks, as the first start has
its outcome). The sync path does not do this: a `KeyboardInterrupt` in `invoke` stops the call in the
thread that would run the effect. Fail closed: a run cut off before its effect began must not begin it;
nothing is written, and resuming the thread verifies the call again and runs it once.

Input: `transfer(to="bob", amount=70)` with a guard that takes a while to allow (waits on an event); the
`ainvoke` task is cancelled while the guard runs; the guard then allows.

Fixed: a cancelled `ainvoke` marks its worker's context (`caller_gone()`), and `EffectJournal.commit`
raises `CancelledError` before writing the start: nothing is written or run, and a resume checks the call
again and runs it once. An effect already running when the cancel lands still finishes and commits.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def test_an_effect_does_not_begin_after_its_ainvoke_was_cancelled():
    paid: list[int] = []
    deciding, decide = threading.Event(), threading.Event()

    @guard(timeout_s=20)
    def slow_check(p, c):
        deciding.set()
        decide.wait(timeout=20)
        return ALLOW

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append(amount)
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 70}), "ok", "ok"]), [transfer],
                  guards=[slow_check])
    app = agent.compile(checkpointer=InMemorySaver())

    async def scenario() -> list[str]:
        run = asyncio.ensure_future(app.ainvoke({"messages": [("user", "pay bob")]}, CFG))
        while not deciding.is_set():
            await asyncio.sleep(0.01)
        run.cancel()  # the caller gives up while the call is being checked
        with pytest.raises(asyncio.CancelledError):
            await run
        decide.set()
        locks = agent.guard_node._turns._locks
        for _ in range(2000):  # the cancelled run's worker lets the thread go once the call is done with
            if "t" not in locks:
                break
            await asyncio.sleep(0.01)
        assert "t" not in locks
        assert paid == [], "the effect began after its run was cancelled"
        assert "started" not in [e.kind for e in agent.journal.entries("t")]
        out = await app.ainvoke(None, CFG)  # resumed: verified again, run once
        return [m.content for m in out["messages"] if m.type == "tool"]

    assert asyncio.run(scenario()) == ["sent"]
    assert paid == [70]
