"""An inline async guard decides under a sync run made in a thread that runs an event loop.

What must hold (README: "Under `invoke`, or from a sync call made inside an async effect (which blocks that
loop), it runs on a loop of vfa's own"; house rule: verdicts do not depend on how the graph is run): a guard
with `async acheck` and `inline = True` judges a call the same whether the sync run (`invoke`) is made from
plain code, from a notebook cell or an async app (a loop running in the thread), or by an async effect that
runs a helper agent synchronously.

`vfa/_chain.py` `_call_guard` runs an inline awaitable on a new loop in the caller's thread
(`run_until_complete`); in a thread where a loop is running that raises "Cannot run the event loop while
another loop is running", so every call is denied with that RuntimeError (and a "coroutine ... was never
awaited" warning). A budgeted guard, run on a guard worker's loop, allows the same call, and so do the
`guard_graph` and `GuardMiddleware` paths, whose tool nodes LangGraph runs on a thread of its own.

Fixed: where a loop runs in the caller's thread, an inline async check is awaited on a loop of its own in a
one-off thread, the caller's context copied.
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, effect
from vfa.testing import ScriptedModel


class InlineAsync:
    name = "inline-async"
    inline = True

    async def acheck(self, proposal, context):
        await asyncio.sleep(0)
        return ALLOW


def _tool_texts(out) -> list[str]:
    return [m.content for m in out["messages"] if isinstance(m, ToolMessage)]


def test_invoke_inside_a_running_loop_is_judged_by_an_inline_acheck():
    paid: list[int] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], guards=[InlineAsync()]).compile(
        checkpointer=InMemorySaver())

    async def cell() -> list[str]:  # a notebook cell, or an async handler calling the sync API
        return _tool_texts(app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}}))

    assert asyncio.run(cell()) == ["paid"]
    assert paid == [5]


def test_a_helper_invoked_inside_an_async_effect_is_judged_by_its_inline_acheck():
    seen: list[str] = []

    @effect
    def note(text: str) -> str:
        """Write a note."""
        seen.append(text)
        return "noted"

    helper = Agent(ScriptedModel([("note", {"text": "hi"}), "done"]), [note], guards=[InlineAsync()]).compile(
        checkpointer=InMemorySaver())

    @effect
    async def delegate(task: str) -> str:
        """Hand a task to the helper."""
        out = helper.invoke({"messages": [("user", task)]}, {"configurable": {"thread_id": "helper"}})
        return _tool_texts(out)[0]

    async def scenario() -> list[str]:
        app = Agent(ScriptedModel([("delegate", {"task": "note hi"}), "ok"]), [delegate]).compile(
            checkpointer=InMemorySaver())
        return _tool_texts(await app.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}}))

    assert asyncio.run(scenario()) == ["noted"]
    assert seen == ["hi"]
