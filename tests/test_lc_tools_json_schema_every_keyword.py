"""A JSON-schema tool's call (an MCP tool's) is checked by every keyword of its schema, not only by types.

What must hold: `$ref`, `anyOf`/`oneOf`, `const`, bounds, lengths, patterns, `patternProperties`,
`additionalProperties` given as a schema and keywords at the schema's top (`anyOf` of two `required`s)
all refuse a call that breaks them, naming the argument and the rule but never the value written (it may be
the value behind a handle); OpenAPI's `nullable` allows null; a schema that is none (`"type": "int"`) is
refused where the tool is declared, and one whose `$ref` leads nowhere refuses its calls, both clearly.
A handle written where a pattern wants the value behind it is judged by that value.
Before, everything but `type`, `enum`, `required`, `properties` and `additionalProperties: false` was
passed over: a negative amount reached a tool whose schema said `minimum: 0`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from _json_tool import run_json_tool
from _landlord import IBAN, ME, get_contacts, pay_by_handle
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, ConfigError, EffectJournal
from vfa.testing import ScriptedModel

SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["account", "amount"],
    "$defs": {"Account": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"}},
    "properties": {
        "account": {"$ref": "#/$defs/Account"},
        "amount": {"type": "number", "minimum": 0, "exclusiveMaximum": 10000},
        "currency": {"const": "EUR"},
        "memo": {"type": "string", "maxLength": 12},
        "split": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]},
        "channel": {"oneOf": [{"type": "string", "enum": ["sepa", "swift"]}, {"type": "string", "pattern": "^swift"}]},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "maxItems": 3},
        "note": {"type": "string", "nullable": True},
    },
    "patternProperties": {"^x-": {"type": "integer"}},
}
GOOD = {"account": "FR123456", "amount": 25.5}


def _run(schema: dict[str, Any], args: dict) -> tuple[ToolMessage, list[dict]]:
    return run_json_tool("pay", schema, args)


@pytest.mark.parametrize("args", [
    GOOD,
    {**GOOD, "currency": "EUR", "memo": "rent", "split": 2, "channel": "sepa", "tags": ["a", "b"]},
    {**GOOD, "split": None, "channel": "swift:ABC", "note": None, "x-trace": 7},
    {**GOOD, "amount": 0},
])
def test_calls_that_fit_run_as_written(args: dict) -> None:
    message, got = _run(SCHEMA, args)
    assert got == [args], message.content


@pytest.mark.parametrize(("args", "named", "rule"), [
    ({**GOOD, "account": "fr-secret-1"}, "account", "pattern"),
    ({**GOOD, "amount": -5}, "amount", "minimum"),
    ({**GOOD, "amount": 10000}, "amount", "exclusiveMaximum"),
    ({**GOOD, "currency": "USD"}, "currency", "const"),
    ({**GOOD, "memo": "x" * 13}, "memo", "maxLength"),
    ({**GOOD, "split": 0}, "split", "minimum"),
    ({**GOOD, "split": True}, "split", "anyOf"),
    ({**GOOD, "channel": "swift"}, "channel", "oneOf"),
    ({**GOOD, "tags": ["a", "a"]}, "tags", "uniqueItems"),
    ({**GOOD, "x-trace": "seven"}, "x-trace", "type"),
])
def test_calls_that_break_a_keyword_are_refused_naming_it(args: dict, named: str, rule: str) -> None:
    message, got = _run(SCHEMA, args)
    assert got == [], f"the tool ran with {got}"
    assert "invalid arguments" in message.content and named in message.content and rule in message.content, \
        message.content
    written = args[named]
    if isinstance(written, str) and len(written) > 3:
        assert written not in message.content, message.content  # the rule is told, not the value


def test_keywords_at_the_top_judge_the_whole_call() -> None:
    schema = {"type": "object", "properties": {"email": {"type": "string"}, "phone": {"type": "string"}},
              "anyOf": [{"required": ["email"]}, {"required": ["phone"]}], "additionalProperties": {"type": "string"}}
    assert _run(schema, {"phone": "+33 1"})[1] == [{"phone": "+33 1"}]
    message, got = _run(schema, {})
    assert got == [] and "anyOf" in message.content, message.content
    message, got = _run(schema, {"email": "a@b.example", "extra": 3})
    assert got == [] and "extra" in message.content and "type" in message.content, message.content


def test_a_schema_that_is_none_is_refused_where_the_tool_is_declared() -> None:
    with pytest.raises(ConfigError, match=r"tool 'pay': its JSON schema is not valid at 'properties/amount/type'"):
        _run({"type": "object", "properties": {"amount": {"type": "int"}}}, {"amount": 1})


def test_a_ref_to_nowhere_refuses_its_calls_clearly() -> None:
    message, got = _run({"type": "object", "properties": {"amount": {"$ref": "#/$defs/Nope"}}}, {"amount": 1})
    assert got == [] and "cannot be checked by its schema" in message.content, message.content


def test_a_handle_is_judged_by_the_value_behind_it() -> None:
    paid: list[dict] = []

    def pay_fn(iban: str, amount: int) -> str:
        paid.append({"iban": iban, "amount": amount})
        return "paid"

    body = privacy_sink(internal=["iban", "amount"], authority=["iban", "amount"])(privacy_source()(pay_fn))
    schema = {"type": "object", "required": ["iban", "amount"], "properties": {
        "iban": {"type": "string", "pattern": "^DE[0-9]{20}$"}, "amount": {"type": "integer", "minimum": 1}}}
    pay = StructuredTool(name="pay", description="Pay an account.", args_schema=schema, func=body)
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"every-keyword")
    app = Agent(ScriptedModel(rule=pay_by_handle(10, 0)), [get_contacts(), pay], guards=[flow.guard()], flow=flow,
                journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("pay the landlord")]}, {"configurable": {"thread_id": "t"}})
    sent = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "pay"]
    assert paid == [{"iban": IBAN, "amount": 10}], [m.content for m in sent]
    assert "minimum" in sent[1].content and IBAN not in json.dumps([m.content for m in sent])


def test_a_pattern_is_searched_in_linear_time() -> None:
    # Python's `re` backtracks over this text for longer than any run would wait (2**40 steps)
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"},
                                               "pin": {"type": "string", "pattern": "^(?=.*[0-9])[a-z0-9]{4}$"}}}
    message, got = _run(schema, {"code": "a" * 40 + "!"})
    assert got == [] and "pattern" in message.content, message.content
    assert _run(schema, {"code": "aaa", "pin": "ab1c"})[1] == [{"code": "aaa", "pin": "ab1c"}]
    message, got = _run(schema, {"pin": "abcd"})  # a lookahead: read by Python's own engine
    assert got == [] and "pin" in message.content, message.content


def test_an_openapi_30_schema_is_read_by_draft_4() -> None:
    # OpenAPI 3.0 (draft 4's words): `exclusiveMinimum` is a flag on `minimum`, which 2020-12 reads as a number
    schema = {"type": "object", "required": ["amount"],
              "properties": {"amount": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}}
    assert _run(schema, {"amount": 1})[1] == [{"amount": 1}]
    message, got = _run(schema, {"amount": 0})
    assert got == [] and "amount" in message.content and "minimum" in message.content.lower(), message.content
    with pytest.raises(ConfigError, match="not valid"):  # a schema naming its draft is read by it alone
        _run({**schema, "$schema": "https://json-schema.org/draft/2020-12/schema"}, {"amount": 1})
