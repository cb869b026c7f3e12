"""A JSON schema whose sub-schemas are shared or hold themselves is read once each, not once
per path.

Fault. `_model_of_json_schema` / `_json_type` (vfa/_json_schema.py) build a new pydantic model for every path
through the schema, to `MAX_SCHEMA_DEPTH`. A schema that holds itself once is read in 16 steps, but one that
holds itself twice or more, as a dereferenced `$ref` does (a search filter of `and`/`or`/`not`, a tree node of
`left`/`right`), or whose sub-schema is shared by several properties, is read once per path: 2**16 models and
more. Building an `Agent` on such an MCP tool took 28 s for the filter below and 77 s for the tree node (a
third self-reference: hours); a schema's own `required` holding a list raised a bare "unhashable type".

What must hold: such tools are declared in well under a second each and their calls are checked as their
schema says (a value of the wrong type deep inside is refused, naming it); an odd `required` is never a
crash: the schema is refused where the tool is declared, naming the entry (it is no JSON schema).

Fixed: each sub-schema is read once per depth, remembered by identity; a schema is checked against its
metaschema when declared (`vfa._json_schema._checker`), unless it holds itself or is too big to walk.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from _json_tool import run_json_tool
from langchain_core.messages import ToolMessage

from vfa import ConfigError


def _filter_schema() -> dict[str, Any]:
    # a `$ref: "#/$defs/Filter"` dereferenced in place (jsonref, a server's own resolver): it holds itself
    f: dict[str, Any] = {"type": "object", "properties": {"field": {"type": "string"}, "eq": {"type": "string"}}}
    f["properties"].update({"and": {"type": "array", "items": f}, "or": {"type": "array", "items": f}, "not": f})
    return {"type": "object", "required": ["filter"], "properties": {"filter": f, "limit": {"type": "integer"}}}


def _tree_schema() -> dict[str, Any]:
    node: dict[str, Any] = {"type": "object", "required": ["value"], "properties": {"value": {"type": "integer"}}}
    node["properties"].update({"left": node, "right": node})
    return {"type": "object", "required": ["root"], "properties": {"root": node}}


def _shared_schema() -> dict[str, Any]:
    sub: dict[str, Any] = {"type": "string"}
    for _ in range(8):  # each level's properties share one sub-schema: 6**8 paths, 9 schemas
        sub = {"type": "object", "properties": {f"p{j}": sub for j in range(6)}}
    return {"type": "object", "properties": {"doc": sub}}


def _nested(leaf: Any) -> dict[str, Any]:
    for j in range(8):
        leaf = {f"p{j % 6}": leaf}
    return {"doc": leaf}


def _run(schema: dict[str, Any], args: dict) -> tuple[ToolMessage, list[dict]]:
    return run_json_tool("query", schema, args)


def _within(seconds: float, fn: Any, *args: Any) -> Any:
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(fn(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"not done in {seconds} s"
    return box[0]


CASES = [
    (_filter_schema, {"filter": {"or": [{"field": "a", "eq": "1"}, {"not": {"field": "b", "eq": "2"}}]}},
     {"filter": {"or": [{"field": "a"}, {"not": {"field": 5}}]}}, "field"),
    (_tree_schema, {"root": {"value": 1, "left": {"value": 2, "right": {"value": 3}}}},
     {"root": {"value": 1, "left": {"value": 2, "right": {"value": "3"}}}}, "value"),
    (_shared_schema, _nested("x"), _nested(1), "p1"),
]


@pytest.mark.parametrize(("schema", "good", "bad", "named"), CASES, ids=["filter", "tree", "shared"])
def test_shared_and_self_holding_schemas_are_read_once(schema: Any, good: dict, bad: dict, named: str) -> None:
    message, got = _within(10, _run, schema(), good)
    assert message.status != "error" and got == [good], message.content
    message, got = _within(10, _run, schema(), bad)
    assert got == [] and "invalid arguments" in message.content and named in message.content, message.content


def test_an_odd_required_is_a_clear_declaration_error() -> None:
    schema = {"type": "object", "required": ["to", ["to"], {"x": 1}, None, 3],
              "properties": {"to": {"type": "string"}}}
    with pytest.raises(ConfigError, match=r"tool 'query': its JSON schema is not valid at 'required/1'"):
        _run(schema, {"to": "bob"})
