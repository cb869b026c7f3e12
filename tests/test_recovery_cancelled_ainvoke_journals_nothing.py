"""A resume cancelled while the guards re-verify a call cut off by a crash journals nothing: the next resume asks.

A call whose effect began and never recorded an outcome (the process killed inside it) is verified again on
resume (`GuardNode._recover`). Under `ainvoke` a guard awaited on the caller's loop may be cut off with it:
`asyncio.wait_for(app.ainvoke(None, cfg), 0.3)` around a resume whose async guard takes a second. The guard
node journaled that cut-off as the guard's denial (`failed`, "interrupted by a crash and not run again"), so the
call ended for good, though no guard judged it, as `_rounds` did before (red team 311, which saw this one too).

What must hold: the cancelled resume journals nothing after the crashed start; the next resume verifies the call
again and, the effect not declared idempotent, asks the person whether it happened.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from vfa import ALLOW, Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ROOT = Path(__file__).resolve().parents[1]
CFG = {"configurable": {"thread_id": "t"}}

CHILD = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[2])
    from langgraph.checkpoint.sqlite import SqliteSaver
    from vfa import Agent, effect
    from vfa.testing import ScriptedModel

    @effect
    def transfer(to: str, amount: int) -> str:
        '''Send money.'''
        os._exit(9)  # killed inside the effect, after its write-ahead record

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "ok"]), [transfer],
                  journal=sys.argv[1] + "/journal.db")
    with SqliteSaver.from_conn_string(sys.argv[1] + "/checkpoints.db") as saver:
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay bob")]},
                                                 {"configurable": {"thread_id": "t"}}, durability="sync")
""")


def test_a_cancelled_resume_of_a_crashed_call_journals_nothing_and_the_next_asks(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), str(ROOT)], capture_output=True, timeout=120)
    assert run.returncode == 9, run.stderr.decode()[-2000:]
    with EffectJournal(str(tmp_path / "journal.db"), read_only=True) as journal:
        assert [e.kind for e in journal.entries("t")][-1] == "started"

    slow = [True]

    class Moderation:
        name = "moderation"
        timeout_s = 20.0

        async def acheck(self, p, c):
            if slow[0]:
                await asyncio.sleep(10)
            return ALLOW

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    agent = Agent(ScriptedModel(["ok", "ok"]), [transfer], guards=[Moderation()], journal=str(tmp_path / "journal.db"))

    async def resume(timeout: float | None) -> dict:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "checkpoints.db")) as saver:
            return await asyncio.wait_for(agent.compile(checkpointer=saver).ainvoke(None, CFG), timeout)

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(resume(0.3))
    deadline = time.monotonic() + 10
    while "t" in agent.guard_node._turns._locks and time.monotonic() < deadline:
        time.sleep(0.01)  # the cancelled run's worker ends its checks, then lets the thread go
    kinds = [e.kind for e in agent.journal.entries("t")]
    assert kinds[-1] == "started", kinds  # nothing journaled for the cut-off check
    slow[0] = False
    out = asyncio.run(resume(None))
    question = out["__interrupt__"][0].value
    assert "started" in question["question"] and "transfer" in question["question"], question
    agent.close()
