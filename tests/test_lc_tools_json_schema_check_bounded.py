"""Checking one call by its JSON schema takes bounded time, whatever the model wrote.

What must hold: a schema describing a tree by a union whose branches share the child (pydantic's
discriminated union of nodes, written `oneOf`) checks a call nested 40 deep in seconds: the call is refused
as one its schema cannot check (a hung check would hang the guard node; fail closed), while a shallow call
still runs. Before, each level doubled the work of the `jsonschema` check: 18 deep took a minute, 40 deep
would take years, so a model (or a prompt injection) could stall every call of the thread with 1 KB of JSON.
"""

from __future__ import annotations

import threading
from typing import Any

from _json_tool import run_json_tool
from langchain_core.messages import ToolMessage

NODE = {"oneOf": [
    {"type": "object", "properties": {"kind": {"const": "not"}, "child": {"$ref": "#/$defs/Node"}}, "required": ["kind"]},
    {"type": "object", "properties": {"kind": {"const": "group"}, "child": {"$ref": "#/$defs/Node"}}, "required": ["kind"]},
    {"type": "null"}]}
SCHEMA: dict[str, Any] = {"type": "object", "$defs": {"Node": NODE}, "properties": {"filter": {"$ref": "#/$defs/Node"}}}


def _nested(depth: int) -> Any:
    value = None
    for _ in range(depth):
        value = {"kind": "group", "child": value}
    return value


def _run(args: dict) -> tuple[ToolMessage, list[dict]]:
    return run_json_tool("search", SCHEMA, args)


def test_a_shallow_tree_runs() -> None:
    args = {"filter": _nested(3)}
    message, got = _run(args)
    assert got == [args], message.content


def test_a_deep_tree_is_decided_in_bounded_time() -> None:
    done: list[tuple[ToolMessage, list[dict]]] = []
    worker = threading.Thread(target=lambda: done.append(_run({"filter": _nested(40)})), daemon=True)
    worker.start()
    worker.join(60)
    assert done, "the call's schema check still ran after 60 s"
    message, got = done[0]
    assert got == [] and "cannot be checked by its schema" in message.content, message.content
