"""A JSON schema whose `pattern` uses a Unicode property (`\\p{L}`) is declared, and its calls checked by it.

What must hold: ECMA-262 patterns with `\\p{...}` classes (zod's `.emoji()`, names in any script) are patterns
the call's check searches (pydantic-core's engine reads them), so the tool is declared and each call checked by
the pattern. Before, the metaschema check read `format: regex` by Python's `re`, which knows no `\\p`, and
refused the tool with a ConfigError: an MCP tool whose calls the check could judge could not be used at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from _json_tool import run_json_tool
from langchain_core.messages import ToolMessage

from vfa import ConfigError

SCHEMA: dict[str, Any] = {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string", "pattern": "^\\p{Lu}\\p{Ll}+$"},
    "mood": {"type": "string", "pattern": "^(\\p{Extended_Pictographic}|\\p{Emoji_Component})+$"}}}


def _run(schema: dict[str, Any], args: dict) -> tuple[ToolMessage, list[dict]]:
    return run_json_tool("greet", schema, args)


@pytest.mark.parametrize("args", [{"name": "Élodie"}, {"name": "Σωκράτης", "mood": "😀"}])
def test_calls_that_fit_run(args: dict) -> None:
    message, got = _run(SCHEMA, args)
    assert got == [args], message.content


@pytest.mark.parametrize("args", [{"name": "élodie"}, {"name": "Ann", "mood": "sad"}])
def test_calls_that_break_the_pattern_are_refused(args: dict) -> None:
    message, got = _run(SCHEMA, args)
    assert got == [] and "pattern" in message.content, message.content


def test_a_pattern_no_engine_reads_is_still_refused_where_declared() -> None:
    with pytest.raises(ConfigError, match="is not a 'regex'"):
        _run({"type": "object", "properties": {"name": {"type": "string", "pattern": "(\\p{Lu}"}}}, {"name": "A"})
