"""An `Agent` shows the model a JSON-schema tool's (an MCP tool's) schema as it was given.

Fault. `ToolSpec.json_schema` hands `bind_tools` the JSON schema pydantic writes for vfa's own reading of the
tool's schema (`_model_of_json_schema`), not the schema the tool was given. That rewrite drops what the model
needs to write a valid call: the properties no Python field can bear ("zip-code", "_id", which vfa checks
beside the fields) vanish, though required, so a model that writes the calls it is shown is refused every
time; every description, format, minimum and `$defs` is gone; `additionalProperties: false` is shown as true;
and each optional property is shown as nullable. LangChain's own `ToolNode` path (`convert_to_openai_tool`)
shows the schema as given.

What must hold: the parameters the model is shown are the tool's JSON schema as given (the properties, their
descriptions and constraints, `required`, `additionalProperties`), and a call written by them runs.

Fixed: ToolSpec.json_schema shows a LangChain tool's dict args_schema as given (copied).
"""

from __future__ import annotations

import asyncio
from typing import Any

from _json_tool import json_tool
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from vfa import Agent, ToolSpec
from vfa.testing import ScriptedModel

# the shape an MCP server publishes (zod-to-json-schema / pydantic), as langchain-mcp-adapters hands it on
SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "$schema": "http://json-schema.org/draft-07/schema#",
    "required": ["to", "zip-code", "parcel"],
    "properties": {
        "to": {"type": "string", "description": "Recipient's full name", "minLength": 1},
        "zip-code": {"type": "string", "description": "Postal code of the recipient", "pattern": "^[0-9]{5}$"},
        "_id": {"type": "integer", "description": "Idempotency id"},
        "parcel": {"$ref": "#/$defs/Parcel"},
        "speed": {"type": "string", "enum": ["standard", "express"], "default": "standard"},
        "ship_at": {"type": "string", "format": "date-time"},
    },
    "$defs": {"Parcel": {"type": "object", "required": ["kg"], "properties": {
        "kg": {"type": "number", "exclusiveMinimum": 0, "description": "Weight in kilograms"}}}},
}

BOUND: list[Any] = []


class _Recording(ScriptedModel):
    """A scripted model that keeps the tools it is bound to, as a real model would send them."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> _Recording:
        BOUND.extend(tools)
        return self


def _tool(got: list[dict]) -> StructuredTool:
    return json_tool("ship", SCHEMA, got)


def _shown(spec: Any) -> dict[str, Any]:
    fn = spec["function"] if "function" in spec else spec
    return fn["parameters"]


def test_the_model_is_shown_the_schema_as_given() -> None:
    shown = _shown(ToolSpec.of(_tool([])).json_schema())
    assert shown["properties"] == SCHEMA["properties"], shown
    assert shown["required"] == SCHEMA["required"] and shown["additionalProperties"] is False, shown
    assert shown["$defs"] == SCHEMA["$defs"], shown


def test_a_call_written_by_what_the_agent_shows_runs() -> None:
    BOUND.clear()
    got: list[dict] = []
    # the call a model writes from the schema it is shown: every required property it names
    args = {"to": "Ann", "zip-code": "75001", "parcel": {"kg": 1.5}}
    app = Agent(_Recording([("ship", args), "done"]), [_tool(got)]).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("ship it")]}, {"configurable": {"thread_id": "t"}}))
    (shown,) = [_shown(t) for t in BOUND]
    assert set(shown["required"]) <= set(shown["properties"]) and "zip-code" in shown["required"], shown
    assert shown["properties"]["to"].get("description") == "Recipient's full name", shown
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert message.status != "error" and got == [args], message.content
