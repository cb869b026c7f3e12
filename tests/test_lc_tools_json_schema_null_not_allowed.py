"""A JSON-schema tool's optional property takes null only where its schema says so.

Fault. `_model_of_json_schema` (vfa/_json_schema.py) types every optional property as `kind | None`, so a call
writing `"recursive": null` for `{"type": "boolean", "default": true}` passes, though JSON Schema refuses
null for any type but "null" (and a property no field can bear, "dry-run", refuses it: one schema, two
readings). The guards judge None, a value the schema never allows, while the server reads it as it will:
`args.recursive ?? true` deletes recursively past a guard that denied recursive deletes (left out, the
same property is judged as its default, true, and denied). The same inside a nested object.

What must hold: null is refused, naming the property, where the schema's type does not allow it (at the
top and nested); it is taken where the type allows it (`["boolean", "null"]`) or the schema says
`nullable: true` (OpenAPI's word, which servers built on it mean); a left-out property is still judged as
its default.

Fixed: an optional property's type takes null only where its type allows it, or the schema says nullable
(OpenAPI's word).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from vfa import ALLOW, Agent, Deny, guard
from vfa.testing import ScriptedModel

SCHEMA = {"type": "object", "required": ["path"], "properties": {
    "path": {"type": "string"},
    "recursive": {"type": "boolean", "default": True, "description": "Delete what is below too"},
    "reason": {"type": ["string", "null"]},
    "ticket": {"type": "string", "nullable": True},
    "options": {"type": "object", "properties": {"retries": {"type": "integer"}}}}}


def _run(args: dict) -> tuple[ToolMessage, list[dict], list[dict]]:
    got: list[dict] = []
    judged: list[dict] = []

    async def delete(**kw: Any) -> str:
        got.append(kw)
        recursive = kw.get("recursive")
        return "deleted" + (" all below" if recursive is None or recursive else "")  # the server's `?? true`

    tool = StructuredTool(name="delete", description="Delete a path.", args_schema=SCHEMA, coroutine=delete)

    @guard(tools=["delete"])
    def no_recursive_delete(p, c):
        judged.append(dict(p.args))
        return Deny(reason="no recursive deletes") if p.args.get("recursive") else ALLOW

    app = Agent(ScriptedModel([("delete", args), "done"]), [tool], guards=[no_recursive_delete]).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("tidy")]}, {"configurable": {"thread_id": "t"}}))
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), got, judged


@pytest.mark.parametrize(("args", "named"), [
    ({"path": "/data", "recursive": None}, "recursive"),
    ({"path": "/data", "recursive": False, "options": {"retries": None}}, "retries"),
])
def test_null_where_the_schema_allows_none_is_refused(args: dict, named: str) -> None:
    message, got, judged = _run(args)
    assert got == [], f"the tool ran with {got}; the guards judged {judged}"
    assert message.status == "error" and "invalid arguments" in message.content and named in message.content, message.content


def test_null_where_the_schema_allows_it_runs() -> None:
    args = {"path": "/data", "recursive": False, "reason": None, "ticket": None}
    message, got, _ = _run(args)
    assert message.status != "error" and got == [args], message.content


def test_a_left_out_property_is_still_judged_as_its_default() -> None:
    message, got, judged = _run({"path": "/data"})
    assert got == [] and judged[-1]["recursive"] is True and "no recursive deletes" in message.content, message.content
