"""An `ainvoke` cancelled while its call is checked journals no verdict: resuming the thread verifies the call again.

What must hold (README: "A run whose `ainvoke` is cancelled before its effect began (`asyncio.wait_for`'s timeout)
never begins it, though its worker thread finishes the checks: nothing is written, and resuming the thread
verifies the call again"): whatever the checks end with once the caller has gone, the journal gets none of it.

Fault: only `EffectJournal.commit` looked at `caller_gone()`, so an allow wrote nothing, but a denial reached
after the caller left was journaled `denied`, and the resumed thread was answered from that record, never checked
again. The common case: `asyncio.wait_for(app.ainvoke(...), 0.3)` around a call whose async guard (awaited on the
caller's loop) takes a second; `asyncio.run` then ends, cutting the check off on its loop, and the cut-off was
journaled as the guard's verdict. The resumed thread told the model "transfer denied by guard 'moderation': guard
'moderation' raised CancelledError: the call was cut off on its event loop: ", for good, though the guard never
judged the call.

Fixed: GuardNode._rounds raises CancelledError, journaling nothing, when the caller is gone once the guards
decide.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _agent(tmp_path, guards, paid):
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append(amount)
        return "sent"

    return Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "ok", "ok"]), [transfer], guards=guards,
                 journal=str(tmp_path / "journal.db"))


def _wait_until_let_go(agent) -> None:
    """The cancelled run's worker goes on with the checks; it lets the thread go once done with the call."""
    locks = agent.guard_node._turns._locks
    deadline = time.monotonic() + 10
    while "t" in locks and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "t" not in locks


def _resume(tmp_path, agent) -> list[str]:
    async def resume() -> list[str]:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "checkpoints.db")) as saver:
            out = await agent.compile(checkpointer=saver).ainvoke(None, CFG)
        return [m.content for m in out["messages"] if m.type == "tool"]

    return asyncio.run(resume())


def test_a_check_cut_off_with_the_callers_loop_is_not_journaled_as_a_denial(tmp_path):
    paid: list[int] = []
    slow = [True]

    class Moderation:
        name = "moderation"
        timeout_s = 20.0

        async def acheck(self, p, c):
            if slow[0]:
                await asyncio.sleep(10)  # the moderation service is slow this time
            return ALLOW

    agent = _agent(tmp_path, [Moderation()], paid)

    async def first() -> None:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "checkpoints.db")) as saver:
            app = agent.compile(checkpointer=saver)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(app.ainvoke({"messages": [("user", "pay bob")]}, CFG), 0.3)

    asyncio.run(first())  # ends: the check still awaited on this loop is cancelled with it
    _wait_until_let_go(agent)
    kinds = [e.kind for e in agent.journal.entries("t")]
    assert "denied" not in kinds and "started" not in kinds, kinds
    slow[0] = False
    assert _resume(tmp_path, agent) == ["sent"]  # verified again, and run once
    assert paid == [5]


def test_a_denial_reached_after_the_caller_left_is_not_journaled(tmp_path):
    paid: list[int] = []
    deciding, decide = threading.Event(), threading.Event()
    verdict = [Deny(reason="the payee is not verified yet")]

    @guard(timeout_s=20)
    def payee_verified(p, c):
        deciding.set()
        decide.wait(timeout=20)
        return verdict[0]

    agent = _agent(tmp_path, [payee_verified], paid)

    async def first() -> None:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "checkpoints.db")) as saver:
            run = asyncio.ensure_future(agent.compile(checkpointer=saver).ainvoke(
                {"messages": [("user", "pay bob")]}, CFG))
            while not deciding.is_set():
                await asyncio.sleep(0.01)
            run.cancel()  # the caller gives up while the call is checked
            with pytest.raises(asyncio.CancelledError):
                await run
            decide.set()  # the check then denies, for a caller that is gone
            await asyncio.to_thread(_wait_until_let_go, agent)

    asyncio.run(first())
    assert "denied" not in [e.kind for e in agent.journal.entries("t")]
    verdict[0] = ALLOW  # the payee was verified meanwhile
    assert _resume(tmp_path, agent) == ["sent"]
    assert paid == [5]
