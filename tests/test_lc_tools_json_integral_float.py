"""A JSON-schema tool's "integer" argument written as 12.0 is an integer, as JSON Schema reads it.

Since JSON schemas are read strictly (`vfa._json_schema._model_of_json_schema`, `strict=True`), an integer
property refuses the float 12.0. JSON Schema (draft 6 on, the one MCP servers publish) says "integer" holds
any number with a zero fractional part, so 12.0 *is* an integer there, and several chat models write
every number as a float (a protobuf `Struct` holds doubles only). Before the strict reading the call was
judged as 12 and ran; now an MCP tool (langchain-mcp-adapters' shape: a `StructuredTool` with a dict
`args_schema` and a coroutine only) is refused with "Input should be a valid integer" for a call its server
accepts, at the top level and inside an array of objects alike.

What must hold: 12.0 written for an integer is judged as the integer it is (a guard's `amount > 100`
reads it as 12) and the tool runs; 12.5 and text ("12") are still refused; the schema the model is shown
still says "integer".

Fixed: a JSON schema's integer is Annotated[int, BeforeValidator(_integral)]: an integral float becomes the
int it equals.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from vfa import ALLOW, Agent, Deny, guard
from vfa._json_schema import _model_of_json_schema
from vfa.testing import ScriptedModel

SCHEMA = {"type": "object", "required": ["to", "amount"], "additionalProperties": False, "properties": {
    "to": {"type": "string"}, "amount": {"type": "integer"},
    "lines": {"type": "array", "items": {"type": "object", "properties": {"qty": {"type": "integer"}}}},
    "limit": {"type": ["integer", "null"]}}}


def _run(args: dict) -> tuple[ToolMessage, list[dict], list[dict]]:
    got: list[dict] = []
    judged: list[dict] = []

    async def pay(**kw: Any) -> str:
        got.append(kw)
        return "paid"

    tool = StructuredTool(name="pay", description="Pay.", args_schema=SCHEMA, coroutine=pay)

    @guard(tools=["pay"])
    def at_most_100(p, c):
        judged.append(dict(p.args))
        return Deny(reason="too much") if p.args["amount"] > 100 else ALLOW

    app = Agent(ScriptedModel([("pay", args), "done"]), [tool], guards=[at_most_100]).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("pay bob")]}, {"configurable": {"thread_id": "t"}}))
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), got, judged


@pytest.mark.parametrize("args", [{"to": "bob", "amount": 12.0}, {"to": "bob", "amount": 12, "limit": 3.0},
                                  {"to": "bob", "amount": 12, "lines": [{"qty": 2.0}]}])
def test_an_integral_float_is_an_integer(args: dict) -> None:
    message, got, judged = _run(args)
    assert message.status != "error", message.content
    assert got == [args] and judged[-1]["amount"] == 12


def test_an_integral_float_over_the_limit_is_judged_and_denied() -> None:
    message, got, judged = _run({"to": "bob", "amount": 500.0})
    assert got == [] and message.status == "error" and "too much" in message.content, message.content


@pytest.mark.parametrize("amount", [12.5, "12", True, float("inf")])
def test_what_is_no_integer_is_still_refused(amount: Any) -> None:
    message, got, _ = _run({"to": "bob", "amount": amount})
    assert got == [] and "invalid arguments" in message.content, message.content


def test_the_model_is_still_shown_an_integer() -> None:
    shown = _model_of_json_schema("pay_args", SCHEMA).model_json_schema()
    assert shown["properties"]["amount"] == {"title": "Amount", "type": "integer"}
