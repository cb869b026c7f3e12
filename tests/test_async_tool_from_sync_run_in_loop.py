"""A sync run (`invoke`) of an agent with an async tool, made from inside a running event loop (a notebook,
an async app), fails the call with words that say what to do (use `ainvoke`), not asyncio's "cannot be
called from a running event loop"; the tool does not run, and no coroutine is left un-awaited."""

from __future__ import annotations

import asyncio
import warnings

from langchain_core.messages import ToolMessage

from vfa import Agent, effect
from vfa.testing import ScriptedModel


def test_sync_run_inside_a_loop_says_to_use_ainvoke() -> None:
    ran: list[str] = []

    @effect
    async def pay(to: str) -> str:
        """Pay someone."""
        ran.append(to)
        return "paid"

    app = Agent(ScriptedModel([("pay", {"to": "bob"}), "ok"]), [pay]).compile()

    async def main() -> dict:
        return app.invoke({"messages": [("user", "pay bob")]})

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out = asyncio.run(main())
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert ran == [] and message.status == "error"
    assert "ainvoke" in message.content, message.content


def test_sync_run_outside_a_loop_still_awaits_the_tool() -> None:
    @effect
    async def pay(to: str) -> str:
        """Pay someone."""
        return f"paid {to}"

    out = Agent(ScriptedModel([("pay", {"to": "bob"}), "ok"]), [pay]).compile().invoke({"messages": [("user", "pay bob")]})
    assert next(m for m in out["messages"] if isinstance(m, ToolMessage)).content == "paid bob"
