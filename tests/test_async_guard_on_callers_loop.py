"""An async guard can use what the app made on its own event loop; concurrent calls each decide.

What must hold (the `Guard` protocol, `vfa/_guard.py`: "`async acheck(proposal, context)`: used instead of
`check` by async callers"; house rule: bad input gets a clear error naming the problem): an async app's
guard awaits what async code awaits, the app's loop-bound objects among them (an `asyncio.Semaphore`
limiting calls to a moderation API, an `httpx.AsyncClient` or an asyncpg pool opened at start-up). Under
`ainvoke` such a guard decides, with nothing but its own verdict; a guard that cannot work so is refused
or denied with words that say why.

`vfa/_chain.py` `_call_guard` ran every budgeted `acheck` on a private event loop of the guard worker it
lands on (one of 32, `_LOCAL.loop`), never the caller's. An app object bound to one loop is then shared by
several: four `ainvoke`s of one agent, whose guard shares an `asyncio.Semaphore(1)`, got one allow,
denials "raised RuntimeError: <asyncio.locks.Semaphore ...> is bound to a different event loop", and one
"did not decide within 2 s" (a waiter woken from another loop's thread is never woken). Nothing in the
README said where `acheck` runs; the denials named no cause a developer can act on.

Fixed: under an async caller (`off_loop` sets `vfa._effects.CALLER_LOOP`), `_call_guard` awaits an `acheck` on
the caller's own loop, free while it awaits the call (`on_loop`), cancelled at its deadline; a sync caller's
`acheck` still runs on a loop of vfa's own.
"""

from __future__ import annotations

import asyncio

from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, effect
from vfa.testing import ScriptedModel


def test_async_guards_sharing_the_apps_semaphore_all_decide():
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    async def scenario() -> list[str]:
        limit = asyncio.Semaphore(1)  # made by the app, on its loop: one moderation request at a time

        class Moderation:
            name = "moderation"
            timeout_s = 2.0

            async def acheck(self, p, c):
                async with limit:
                    await asyncio.sleep(0.05)  # the moderation service answers
                    return ALLOW

        agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "ok"]), [transfer],
                      guards=[Moderation()])
        app = agent.compile(checkpointer=InMemorySaver())
        outs = await asyncio.gather(*[app.ainvoke({"messages": [("user", "pay bob")]},
                                                  {"configurable": {"thread_id": f"t{i}"}}) for i in range(4)])
        return [m.content for out in outs for m in out["messages"] if m.type == "tool"]

    results = asyncio.run(scenario())
    assert results == ["sent"] * 4, results


def test_an_async_guard_past_its_deadline_on_the_callers_loop_is_cancelled_and_denies():
    """Awaited on the caller's loop, a check past its budget is cancelled there (its task ends), and the call denied."""
    ran: list[str] = []
    cancelled: list[bool] = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        ran.append(to)
        return "sent"

    class Slow:
        name = "slow"
        timeout_s = 0.2

        async def acheck(self, p, c):
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                cancelled.append(True)
                raise
            return ALLOW

    async def scenario() -> str:
        agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "ok"]), [transfer], guards=[Slow()])
        out = await agent.compile(checkpointer=InMemorySaver()).ainvoke(
            {"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
        await asyncio.sleep(0.05)  # the cancellation lands on this loop
        return [m.content for m in out["messages"] if m.type == "tool"][0]

    text = asyncio.run(scenario())
    assert "did not decide within" in text and ran == [], text
    assert cancelled == [True]


def test_a_sync_agent_run_inside_an_async_effect_judges_its_async_guard_off_that_loop():
    """An async effect (on the caller's loop) that runs a helper agent synchronously blocks that loop: the helper's
    async guard is awaited on a loop of vfa's own, and decides (sent to the blocked loop, it would time out)."""
    seen: list[str] = []

    @effect
    def note(text: str) -> str:
        """Write a note."""
        seen.append(text)
        return "noted"

    class Async:
        name = "async-ok"
        timeout_s = 2.0

        async def acheck(self, p, c):
            await asyncio.sleep(0)
            return ALLOW

    helper = Agent(ScriptedModel([("note", {"text": "hi"}), "done"]), [note], guards=[Async()]).compile(
        checkpointer=InMemorySaver())

    @effect
    async def delegate(task: str) -> str:
        """Hand a task to the helper."""
        helper.invoke({"messages": [("user", task)]}, {"configurable": {"thread_id": "helper"}})
        return "delegated"

    async def scenario() -> list[str]:
        agent = Agent(ScriptedModel([("delegate", {"task": "note hi"}), "ok"]), [delegate], guards=[Async()])
        out = await agent.compile(checkpointer=InMemorySaver()).ainvoke(
            {"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
        return [m.content for m in out["messages"] if m.type == "tool"]

    assert asyncio.run(scenario()) == ["delegated"]
    assert seen == ["hi"]
