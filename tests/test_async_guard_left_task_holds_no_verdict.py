"""A task an async guard leaves behind does not hold the guard's verdict past its budget.

`_chain._end_left` (README: "a task it starts and leaves there is cancelled when its check ends") cancels what
an `acheck` left on a guard worker's loop and then waits, with no bound, for every such task to end, before
`_call_guard` hands the verdict back. A left task that takes a while to end once cancelled (an audit writer
flushing its buffer in `finally`, a client closing its connection) holds the verdict the check returned in time:
past the guard's budget the call is denied as "did not decide within ... s" (and a task that never ends holds
the guard worker for good: no deadline reaches it, `run.watch(None)` ran first).

What must hold: a guard that returns Allow at once within its budget allows the call, whatever a task it left
does once cancelled; the run does not wait on that task's cleanup.

Fixed: _end_left waits at most _END_LEFT_S (50 ms) for what it cancelled, and does not cancel again a task
already being cancelled.
"""

from __future__ import annotations

import asyncio
import time

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, effect
from vfa.testing import ScriptedModel


def test_an_allow_in_time_is_not_denied_by_a_left_tasks_cleanup() -> None:
    class Audits:
        name = "audits"
        timeout_s = 0.5

        async def acheck(self, proposal, context):
            async def write() -> None:
                try:
                    await asyncio.sleep(30)  # an audit service answering slowly
                finally:
                    await asyncio.sleep(1.5)  # flushing what it buffered, once cancelled

            asyncio.get_running_loop().create_task(write())
            return ALLOW

    paid: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], guards=[Audits()]).compile(
        checkpointer=InMemorySaver())
    t0 = time.perf_counter()
    out = app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    took = time.perf_counter() - t0
    texts = [m.content for m in out["messages"] if isinstance(m, ToolMessage)]
    assert texts == ["paid"] and paid == [5], f"the guard allowed in time, yet: {texts}"
    assert took < 1.2, f"the run waited {took:.2f} s for a task the guard left"
