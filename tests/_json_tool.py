"""A JSON-schema tool (as an MCP adapter builds one: a `StructuredTool` whose `args_schema` is a dict) run
once by a scripted model, for the tests of how such calls are checked."""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from vfa import Agent
from vfa.testing import ScriptedModel


def json_tool(name: str, schema: dict[str, Any], got: list[dict]) -> StructuredTool:
    """A coroutine tool `name` with the JSON schema `schema`, appending what it is given to `got`."""

    async def run(**kw: Any) -> str:
        got.append(kw)
        return "done"

    return StructuredTool(name=name, description=f"{name.capitalize()}.", args_schema=schema, coroutine=run)


def run_json_tool(name: str, schema: dict[str, Any], args: dict) -> tuple[ToolMessage, list[dict]]:
    """The answer to one call of `name` with `args`, and what the tool was given (nothing when refused)."""
    got: list[dict] = []
    app = Agent(ScriptedModel([(name, args), "done"]), [json_tool(name, schema, got)]).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage(name)]}, {"configurable": {"thread_id": "t"}}))
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), got
