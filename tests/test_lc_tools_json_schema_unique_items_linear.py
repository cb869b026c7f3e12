"""A JSON schema's `uniqueItems` is checked in time linear in the array, as JSON Schema compares its items.

What must hold: a call whose array of 20,000 distinct objects (about 200 KB a model may write) its schema
says are unique is checked in seconds, not minutes; a repeated item is refused, whatever the order of its
keys, and 1 and 1.0 are one item while true and 1 are two (JSON Schema's equality). Before, `jsonschema`
compared each object with every one before it (objects cannot be sorted): 4,000 took 30 s per check, and a
call is checked more than once, so a model could stall its thread for hours with a few hundred KB.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from pydantic import ValidationError

from vfa._json_schema import model_of_json_schema

SCHEMA: dict[str, Any] = {"type": "object", "properties": {"rows": {"type": "array", "uniqueItems": True}}}


def _fits(rows: list[Any]) -> bool:
    try:
        model_of_json_schema("load", SCHEMA).model_validate({"rows": rows})
    except ValidationError as exc:
        assert "uniqueItems" in str(exc), exc
        return False
    return True


def test_many_distinct_objects_are_checked_in_seconds() -> None:
    rows = [{"id": i, "tags": [i % 7, str(i)]} for i in range(20_000)]
    done: list[tuple[bool, float]] = []

    def check() -> None:
        began = time.perf_counter()
        done.append((_fits(rows), time.perf_counter() - began))

    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    worker.join(60)
    assert done, "the check of 20,000 items still ran after 60 s"
    assert done[0][0] and done[0][1] < 10, done


@pytest.mark.parametrize(("rows", "unique"), [
    ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
    ([1, 1.0], False),
    ([[1, {"x": 0.0}], [1.0, {"x": 0}]], False),
    ([True, 1], True),
    ([False, 0, None, "", [], {}], True),
    ([{"a": [True]}, {"a": [1]}], True),
    (["1", 1], True),
    ([2 ** 53 + 1, float(2 ** 53)], True),
])
def test_items_are_compared_as_json_schema_compares_them(rows: list[Any], unique: bool) -> None:
    assert _fits(rows) is unique
