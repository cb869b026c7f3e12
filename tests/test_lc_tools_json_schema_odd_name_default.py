"""A JSON-schema property no Python field can bear is judged as its default when left out.

Fault. README: "an optional argument of a JSON schema the model did not write is judged as the schema's
`default`". `_model_of_json_schema` (vfa/_json_schema.py) keeps that for the properties it makes fields of,
but a property checked beside them ("force-push", "_notify", "copy": names no field can bear) is judged
absent: a guard reading `p.args.get("force-push")` sees None and allows the call, while the server
applies the schema's default, true, and force-pushes. The same property named "force_push" is judged true
and denied.

What must hold: a left-out property of any name is judged as its schema's default (and one without a
default is left out, as before); what the tool is given stays the call as written.

Fixed: a left-out odd-named property is judged as a deep copy of its schema's default; the tool is still given
the call as written.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from vfa import ALLOW, Agent, Deny, guard
from vfa.testing import ScriptedModel


def _run(flag: str, args: dict) -> tuple[ToolMessage, list[dict], list[dict]]:
    schema = {"type": "object", "required": ["branch"], "additionalProperties": False, "properties": {
        "branch": {"type": "string"}, flag: {"type": "boolean", "default": True, "description": "Overwrite history"},
        "x-note": {"type": "string"}}}
    got: list[dict] = []
    judged: list[dict] = []

    async def push(**kw: Any) -> str:
        got.append(kw)
        return "pushed"

    tool = StructuredTool(name="push", description="Push a branch.", args_schema=schema, coroutine=push)

    @guard(tools=["push"])
    def no_force_push(p, c):
        judged.append(dict(p.args))
        return Deny(reason="no force pushes") if p.args.get(flag) else ALLOW

    app = Agent(ScriptedModel([("push", args), "done"]), [tool], guards=[no_force_push]).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("push")]}, {"configurable": {"thread_id": "t"}}))
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), got, judged


@pytest.mark.parametrize("flag", ["force_push", "force-push", "_force", "copy"])
def test_a_left_out_property_is_judged_as_its_default(flag: str) -> None:
    message, got, judged = _run(flag, {"branch": "main"})
    assert got == [], f"the tool ran with {got} (its server's default: force); the guard judged {judged}"
    assert judged[-1][flag] is True and "x-note" not in judged[-1], judged
    assert "no force pushes" in message.content, message.content


@pytest.mark.parametrize("flag", ["force_push", "force-push"])
def test_a_written_value_is_judged_and_given_as_written(flag: str) -> None:
    message, got, judged = _run(flag, {"branch": "main", flag: False})
    assert message.status != "error" and got == [{"branch": "main", flag: False}], message.content
