"""A task an async guard leaves behind on a loop of vfa's own ends with its check, as `asyncio.run` ends it.

What must hold (house rules: no leaks, a sync run of a graph still works on vfa's own loops; README: "Under
`invoke` ... it runs on a loop of vfa's own"): an `acheck` that starts a task and returns without awaiting it
(a fire-and-forget audit write, a cache refresh) leaves nothing pending once `invoke` has returned. Under
`ainvoke` the task lives on the app's loop, which the app runs and ends; vfa's loops are vfa's to end.

`vfa/_chain.py` `_call_guard` ran the check alone (`run_until_complete` of its task) and left the rest:
- inline, on a loop closed right after: the task never ran and was destroyed pending ("Task was destroyed but
  it is pending!" at collection);
- with a budget, on the guard worker's kept loop: the task stayed pending and took steps only while a later
  call's check, of any guard and any conversation, ran on that worker, within that check's deadline; destroyed
  pending at exit.

Fixed: _chain._end_left cancels what a check left on vfa's loop (a worker's kept loop, or an inline check's
own) and lets it end.
"""

from __future__ import annotations

import asyncio

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, effect
from vfa.testing import ScriptedModel


@pytest.mark.parametrize("inline", [True, False], ids=["inline", "budgeted"])
def test_a_task_an_acheck_left_is_not_pending_after_invoke(inline: bool) -> None:
    left: list[asyncio.Task] = []

    class Audits:
        name = "audits"
        timeout_s = 2.0

        async def acheck(self, proposal, context):
            async def write() -> None:
                await asyncio.sleep(5)  # an audit service answering slowly

            left.append(asyncio.get_running_loop().create_task(write()))
            return ALLOW

    Audits.inline = inline

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        return "paid"

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], guards=[Audits()]).compile(
        checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    assert len(left) == 1
    assert left[0].done(), "the guard's task is left pending on vfa's loop after the call"
