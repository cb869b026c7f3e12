"""A record's or a list's handle used as a dict key resolves to the value's JSON text, not an unhashable value.

A model may key a map by a handle it was shown (`{"«contact:…»": "met"}`). A handle that stands for a record
or a list resolved to that dict or list, which no key can be: `HandleStore.resolve` raised `TypeError`, and
the call was denied as "the values of send's handles could not be read for its guards (TypeError)", naming
nothing. What must hold: such a key reads as the value's text, as the same handle does inside a longer text;
a handle of a text or a number used as a key still resolves to that value.
"""

from __future__ import annotations

import json

from guards._handles import HandleStore, _value_text
from vfa import Label

LBL = Label(readers=frozenset({"me@home.example"}), sources=frozenset({"contacts"}))


def _store() -> tuple[HandleStore, str, str, str]:
    store = HandleStore(secret=b"k")
    record = store.mint("t", "c1", "contact", "contact", {"name": "Ada", "mail": "ada@home.example"}, LBL, "contacts#c1")
    items = store.mint("t", "c1", "tags", "tags", ["a", "b"], LBL, "contacts#c1")
    text = store.mint("t", "c1", "mail", "mail", "ada@home.example", LBL, "contacts#c1")
    return store, str(record), str(items), str(text)


def test_a_record_handle_as_a_key_reads_as_its_json_text() -> None:
    store, record, items, text = _store()
    out = store.resolve({record: "met", items: 1, text: 2, "plain": 3}, "t")
    record_text = _value_text({"name": "Ada", "mail": "ada@home.example"})
    assert out[record_text] == "met" and json.loads(record_text)["mail"] == "ada@home.example"
    assert out[_value_text(["a", "b"])] == 1
    assert out["ada@home.example"] == 2 and out["plain"] == 3
    assert all("«" not in k for k in out), out


def test_may_flow_to_refuses_one_text_for_its_recipients() -> None:
    """`Label.may_flow_to("ab")` read the text letter by letter: readers {"a", "b"} let it pass."""
    import pytest

    letters = Label(readers=frozenset({"a", "b"}))
    with pytest.raises(TypeError, match="collection of principals"):
        letters.may_flow_to("ab")
    assert letters.may_flow_to(["a"]) and not letters.may_flow_to(["ab"])
