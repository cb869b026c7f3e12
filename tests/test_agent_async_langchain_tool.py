"""Red team 82: an async LangChain tool given to `vfa.Agent` never runs, even under `ainvoke`.

`Agent(model, tools=[...])` takes "effects, read-only functions, or LangChain tools", and an async
`@effect` runs on the caller's event loop. But `ToolSpec.of` describes every LangChain tool with
`fn=lambda **kw: tool.invoke(kw)` (`vfa/_lc_tools.py` `_from_langchain_tool`): a tool made from an
`async def` (`@tool async def ...`, or `graphs.as_effect` of one) has no sync function, so every call
fails with "NotImplementedError: StructuredTool does not support sync invocation", journaled as the
effect's failure, in an app that runs with `ainvoke` exactly so that its async tools can run.

Fixed: a LangChain tool with only a coroutine is awaited (`tool.ainvoke`), on the caller's loop.
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import as_effect
from vfa import Agent
from vfa.testing import ScriptedModel


def _run(tools, sent):
    app = Agent(ScriptedModel([("send", {"to": "bob"}), "done"]), tools).compile(checkpointer=InMemorySaver())
    out = asyncio.run(app.ainvoke({"messages": [("user", "tell bob")]}, {"configurable": {"thread_id": "t"}}))
    (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    return msg


def test_an_async_langchain_tool_runs_under_ainvoke():
    sent: list[str] = []

    @tool
    async def send(to: str) -> str:
        """Send a note."""
        sent.append(to)
        return f"sent to {to}"

    msg = _run([send], sent)
    assert msg.status != "error", msg.content
    assert sent == ["bob"] and msg.content == "sent to bob"


def test_an_async_langchain_tool_declared_an_effect_runs_under_ainvoke():
    sent: list[str] = []

    @tool
    async def send(to: str) -> str:
        """Send a note."""
        sent.append(to)
        return f"sent to {to}"

    msg = _run([as_effect(send)], sent)
    assert msg.status != "error", msg.content
    assert sent == ["bob"] and msg.artifact["vfa"]["outcome"] == "committed"
