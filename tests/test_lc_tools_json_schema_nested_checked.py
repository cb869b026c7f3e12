"""A JSON-schema tool's arguments (an MCP tool's) are checked as its schema says, all the way down.

What must hold: a nested object's own properties are checked by their types and `required` (the object is
still given to the tool as written, a mapping); an enum compares as JSON Schema does (true is not 1, false
not 0, but 1.0 is 1); a property no Python field can bear ("zip-code", "_id", "model_dump") is checked by its
type and `required` as well, and is not refused as an extra where `additionalProperties` is false; a
schema that nests without end (or holds itself) is read to `MAX_SCHEMA_DEPTH`, not recursed forever.
Before, a nested object was any mapping, `True` passed an enum of `[1, 2]`, "zip-code" in a closed schema
was refused whatever its value, and "model_dump" failed the tool's declaration.
"""

from __future__ import annotations

from typing import Any

import pytest
from _json_tool import run_json_tool
from langchain_core.messages import ToolMessage

from vfa._json_schema import MAX_SCHEMA_DEPTH, _model_of_json_schema

SCHEMA = {"type": "object", "required": ["to", "address"], "additionalProperties": False, "properties": {
    "to": {"type": "string"},
    "address": {"type": "object", "required": ["zip"], "properties": {
        "zip": {"type": "string"}, "country": {"type": "string", "enum": ["FR", "DE"]}}},
    "items": {"type": "array", "items": {"type": "object", "required": ["qty"],
                                         "properties": {"qty": {"type": "integer"}}}},
    "priority": {"enum": [1, 2]},
    "zip-code": {"type": "string"},
    "model_dump": {"type": "boolean"}}}


def _run(args: dict) -> tuple[ToolMessage, list[dict]]:
    return run_json_tool("ship", SCHEMA, args)


GOOD = {"to": "bob", "address": {"zip": "75001", "country": "FR"}}


@pytest.mark.parametrize("args", [
    GOOD,
    {**GOOD, "items": [{"qty": 2}, {"qty": 3.0}], "priority": 2},
    {**GOOD, "priority": 1.0},
    {**GOOD, "zip-code": "75001", "model_dump": False},
    {"to": "bob", "address": {"zip": "75001", "note": "ring twice"}},
])
def test_calls_that_fit_run_as_written(args: dict) -> None:
    message, got = _run(args)
    assert message.status != "error", message.content
    assert got == [args]


@pytest.mark.parametrize(("args", "named"), [
    ({"to": "bob", "address": {"zip": 75001}}, "zip"),
    ({"to": "bob", "address": {}}, "zip"),
    ({**GOOD, "address": {"zip": "1", "country": "US"}}, "country"),
    ({**GOOD, "items": [{"qty": "2"}]}, "qty"),
    ({**GOOD, "items": [{}]}, "qty"),
    ({**GOOD, "priority": True}, "priority"),
    ({**GOOD, "zip-code": 75001}, "zip-code"),
    ({**GOOD, "model_dump": "no"}, "model_dump"),
    ({**GOOD, "other": 1}, "other"),
])
def test_calls_that_do_not_fit_are_refused_naming_the_property(args: dict, named: str) -> None:
    message, got = _run(args)
    assert got == [] and message.status == "error", message.content
    assert "invalid arguments" in message.content and named in message.content, message.content


@pytest.mark.parametrize(("enum", "value", "fits"), [
    ([1, 2], True, False), ([0, 1], False, False), ([True], 1, False), ([True], True, True),
    ([1, 2], 1.0, True), (["a"], "A", False), ([1.5, "x"], 1.5, True)])
def test_an_enum_compares_as_json_schema_does(enum: list, value: Any, fits: bool) -> None:
    model = _model_of_json_schema("t", {"type": "object", "properties": {"x": {"enum": enum}}, "required": ["x"]})
    try:
        model.model_validate({"x": value})
    except ValueError:
        assert not fits
    else:
        assert fits


def test_a_schema_holding_itself_is_read_to_a_depth() -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    schema["properties"]["next"] = schema
    model = _model_of_json_schema("t", schema)
    deep: dict[str, Any] = {}
    for _ in range(MAX_SCHEMA_DEPTH + 5):
        deep = {"next": deep}
    model.model_validate(deep)  # past the depth it reads any value
    with pytest.raises(ValueError, match="next"):
        model.model_validate({"next": {"next": 5}})
