"""A resume that finds its own call under way in this process is told the call was denied.

The README (exactly-once): "a call another replica is inside is not taken for a crashed one: resuming its
thread meanwhile raises `CallInFlightError`, writes nothing ... and once that run has finished, resuming
answers from its outcome". That holds for a replica with a journal of its own (`test_journal_call_in_flight`),
but not for a second run of the same app in the same process, the usual case: a client whose `ainvoke`
was cut off by `asyncio.wait_for` (or whose HTTP request timed out) retries the thread while the first
run's worker thread is still inside the effect (`GuardNode._afunc` runs the call on a `_CALLS` thread,
which the cancellation does not stop). The retry waits `lock_wait_s` for the thread's lock, which the
first run holds, and `GuardNode.handle` turns the `ThreadBusy` into a denial journaled under the call's
own id (`proposed`, `denied`). Then the first run commits: the journal holds two outcomes for one call
(`denied`, then `committed`), and the checkpoint keeps "transfer denied" as the call's answer, so the
model is told a payment that went out was denied (it proposes it again, under a new id, and nothing
asks: the money goes out twice). Had the first run been cut off instead, the `denied` after its start
would read as its outcome, so no recovery would ever ask whether it happened.

Input: `transfer(to="bob", amount=70)`, whose effect is slow; the run is cancelled (or a second request
comes) while it is inside; `app.ainvoke(None, cfg)` (or `invoke`) on the same thread with
`lock_wait_s=0.3`.

Fixed: the thread's lock records which call ids hold it; a call that waits past `lock_wait_s` for a lock
held by its own call id raises `CallInFlightError` and writes nothing (`GuardNode.busy`, in the node and
the retrofit gate alike).
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, CallInFlightError, effect
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _app() -> tuple:
    paid: list[int] = []
    inside, release = threading.Event(), threading.Event()

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money, then wait for the bank's receipt."""
        paid.append(amount)  # the money has gone out
        inside.set()
        release.wait(timeout=20)
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 70}), "ok", "ok", "ok"]), [transfer])
    agent.guard_node.lock_wait_s = 0.3
    return agent, agent.compile(checkpointer=InMemorySaver()), paid, inside, release


def _outcomes(agent) -> list[str]:
    return [e.kind for e in agent.journal.entries("t") if e.call_id == "call_0_0"]


def _tool_answers(out) -> list[str]:
    return [m.content for m in out["messages"] if m.type == "tool"]


def test_a_retry_after_a_cancelled_ainvoke_is_refused_while_the_effect_runs():
    agent, app, paid, inside, release = _app()

    async def scenario() -> list[str]:
        first = asyncio.ensure_future(app.ainvoke({"messages": [("user", "pay bob")]}, CFG))
        while not inside.is_set():
            await asyncio.sleep(0.01)
        first.cancel()  # the caller gives up: asyncio.wait_for's timeout, a closed request
        with pytest.raises(asyncio.CancelledError):
            await first
        before = _outcomes(agent)
        try:
            with pytest.raises(CallInFlightError):
                await app.ainvoke(None, CFG)  # the client retries while the first run is inside the effect
            assert _outcomes(agent) == before, "the refused retry wrote to the journal"
        finally:
            release.set()
        for _ in range(500):  # the first run's worker records the outcome
            if "committed" in _outcomes(agent):
                break
            await asyncio.sleep(0.01)
        return _tool_answers(await app.ainvoke(None, CFG))

    answers = asyncio.run(scenario())
    assert paid == [70]
    assert _outcomes(agent).count("denied") == 0, f"a call that ran is journaled denied: {_outcomes(agent)}"
    assert answers == ["sent"], f"the model is told {answers} of a payment that went out"


def test_a_second_request_on_the_thread_is_refused_while_its_call_runs():
    agent, app, paid, inside, release = _app()
    first = threading.Thread(target=lambda: app.invoke({"messages": [("user", "pay bob")]}, CFG), daemon=True)
    first.start()
    try:
        assert inside.wait(timeout=20)
        before = _outcomes(agent)
        with pytest.raises(CallInFlightError):
            app.invoke(None, CFG)  # the same step, run again by a second request (a retry) meanwhile
        assert _outcomes(agent) == before, "the refused request wrote to the journal"
    finally:
        release.set()
        first.join(timeout=20)
    answers = _tool_answers(app.get_state(CFG).values)
    assert paid == [70]
    assert "denied" not in _outcomes(agent), f"a call that ran is journaled denied: {_outcomes(agent)}"
    assert answers == ["sent"], f"the model is told {answers} of a payment that went out"


def test_a_call_that_waited_out_the_lock_after_its_commit_elsewhere_answers_the_commit():
    """The run holding the thread's lock committed this very call and went on to the next one: the
    waiting run's refusal is not journaled as a second outcome (`denied` after `committed`); it answers
    from the commit, as a replay does."""
    from vfa import ThreadBusy

    agent, _app_, paid, _inside, release = _app()
    release.set()
    agent.journal.append([("t", "call_0_0", "transfer", "proposed", {"args": {"to": "bob", "amount": 70}})])
    agent.journal.commit("t", "call_0_0", "transfer", {"to": "bob", "amount": 70}, lambda: "sent")
    message = agent.guard_node.busy("t", "call_0_0", "transfer", {"to": "bob", "amount": 70}, ThreadBusy("t", 0.3))
    assert message.content == "sent" and message.status != "error"
    assert _outcomes(agent)[-1] == "committed" and "denied" not in _outcomes(agent)
