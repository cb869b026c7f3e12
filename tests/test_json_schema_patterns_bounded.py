"""A JSON-schema tool's patterns are searched in bounded time whatever the model writes: `patternProperties`
(and `additionalProperties` beside it) by the linear engine `pattern` uses, a pattern only a backtracking engine
reads (a lookaround) within `MAX_PATTERN_SECONDS` for the whole check, past which the call is refused, and an
object checked by `unevaluatedProperties` beside `patternProperties` (which `jsonschema` would search with
Python's `re`) refused. Before, a 28-character key took 20 s, and each more character doubled it."""

from __future__ import annotations

import time

from _json_tool import run_json_tool

EVIL = "a" * 40 + "!"  # Python's re: about 2**40 steps for ^(a+)+$


def _timed(schema, args):
    t0 = time.monotonic()
    message, got = run_json_tool("tag", schema, args)
    return message, got, time.monotonic() - t0


def test_pattern_properties_are_searched_in_linear_time():
    schema = {"type": "object", "properties": {"meta": {
        "type": "object", "patternProperties": {"^(a+)+$": {"type": "integer"}}}}}
    message, got, took = _timed(schema, {"meta": {EVIL: "x", "aaa": 3}})
    assert took < 5 and got == [{"meta": {EVIL: "x", "aaa": 3}}], message.content
    message, got, _ = _timed(schema, {"meta": {"aaa": "three"}})  # a key that matches is checked by its schema
    assert got == [] and message.artifact["vfa"]["outcome"] == "denied", message.content


def test_additional_properties_beside_patterns_in_linear_time():
    schema = {"type": "object", "properties": {"meta": {
        "type": "object", "patternProperties": {"^(a+)+$": {"type": "string"}}, "additionalProperties": False}}}
    message, got, took = _timed(schema, {"meta": {EVIL: "x"}})
    assert took < 5 and got == [] and message.artifact["vfa"]["outcome"] == "denied", message.content
    message, got, _ = _timed(schema, {"meta": {"aaaa": "x"}})
    assert got == [{"meta": {"aaaa": "x"}}], message.content


def test_a_lookaround_pattern_is_searched_within_its_budget():
    schema = {"type": "object", "properties": {"word": {"type": "string", "pattern": "^(a|aa)+(?=b)"}}}
    message, got, took = _timed(schema, {"word": EVIL})
    assert took < 10 and got == [] and message.artifact["vfa"]["outcome"] == "denied", message.content
    message, got, _ = _timed(schema, {"word": "aab"})
    assert got == [{"word": "aab"}], message.content


def test_unevaluated_properties_beside_pattern_properties_refused():
    schema = {"type": "object", "properties": {"meta": {
        "type": "object", "patternProperties": {"^(a+)+$": {"type": "string"}}, "unevaluatedProperties": False}}}
    message, got, took = _timed(schema, {"meta": {EVIL: "x"}})
    assert took < 5 and got == [] and "unevaluatedProperties" in message.content, message.content


def test_one_call_shares_one_pattern_budget_across_its_arguments():
    props = {f"w{i}": {"type": "string", "pattern": "^(a|aa)+(?=b)"} for i in range(6)}
    message, got, took = _timed({"type": "object", "properties": props}, {k: EVIL for k in props})
    assert got == [] and message.artifact["vfa"]["outcome"] == "denied", message.content
    assert took < 4, f"six arguments took {took:.1f} s: each had its own budget"
