"""Red team 80: an async effect cut off mid-way (its event loop shut down) is journaled as a failure of
its own, a final outcome: the effect may have happened, and the model is told it failed.

On `ainvoke`, the guard node runs its sync path in a worker thread (`GuardNode._afunc`) and sends an
async effect back to the caller's loop with `asyncio.run_coroutine_threadsafe(...).result()`
(`vfa/_guard_node.py` `_run`; the retrofit gate does the same in `graphs/_gate.py` `_Work.__call__`).
When that loop shuts down while the effect is awaiting (the `asyncio.run` of a script or a worker
ends, after Ctrl-C or a request timeout cancelled the caller: `asyncio.run` cancels every task left
on the loop), the effect's coroutine is cancelled wherever it stood, possibly after the payment went
out, and `.result()` raises `concurrent.futures.CancelledError`, which, unlike
`asyncio.CancelledError`, is an `Exception`. `EffectJournal.commit` takes it for the effect's own
failure: it journals `failed` ("CancelledError: "), which is terminal (never recovered, never asked
about), and every later run of the thread answers the call "transfer failed". The run was cut off
as by a crash (the README: a start without an outcome is verified again and a person asked whether
it happened), but the record says it failed, so the model, told the payment failed, pays again with a
new call id: the money goes out twice.

Root cause: `vfa/_guard_node.py` `_run` (and `graphs/_gate.py` `_Work.__call__`) let the
`concurrent.futures.CancelledError` of a cancelled coroutine through as an ordinary exception, and
`vfa/_journal.py` `EffectJournal.commit` records every `Exception` as a failure of the effect.

Fixed: the effect is awaited through `vfa._effects.on_loop`, which raises a cut-off run as
`asyncio.CancelledError` (no `Exception`): the start is left open and marked `abandoned`, for recovery.
"""

from __future__ import annotations

import asyncio

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel


def test_a_cancelled_async_effect_is_not_journaled_as_failed():
    paid: list[int] = []

    async def scenario() -> None:
        started = asyncio.Event()

        @effect
        async def transfer(to: str, amount: int) -> str:
            """Send money, then wait for the bank's receipt."""
            paid.append(amount)  # the money has gone out
            started.set()
            await asyncio.Event().wait()  # the receipt: the loop shuts down before it comes
            return "sent"

        model = ScriptedModel([("transfer", {"to": "bob", "amount": 70}), "ok"])
        agent = Agent(model, [transfer])
        app = agent.compile(checkpointer=InMemorySaver())
        scenario.journal = agent.journal  # type: ignore[attr-defined]
        run = asyncio.ensure_future(app.ainvoke({"messages": [("user", "pay bob")]},
                                                {"configurable": {"thread_id": "t"}}))
        await asyncio.wait_for(started.wait(), timeout=30)
        run.cancel()  # the caller gives up (a timeout, Ctrl-C); asyncio.run then cancels the rest

    asyncio.run(scenario())
    journal = scenario.journal  # type: ignore[attr-defined]
    assert paid == [70]
    outcomes = [(e.kind, e.data.get("error")) for e in journal.entries("t") if e.kind in ("committed", "failed")]
    assert outcomes == [], (
        f"the effect was cut off after paying, yet the journal gives it a final outcome {outcomes}: "
        "the model is told the payment failed, and no recovery will ever ask whether it happened")
