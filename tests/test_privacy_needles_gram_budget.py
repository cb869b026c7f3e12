"""A long thread's values looked up by place (`_Needles`' gram path) stay within a time budget.

Values an attacker can shape (private notes that all start alike) land under one three-character
key; a result of the same character repeated then tests every value at every place. Past the budget
every value is taken to occur, as the substring path does: the result is shown as one handle
labelled with all of them (fail closed), and the answer comes at once (12.7 s before, for the
6,000 values below; the end-to-end runs are in test_privacy_look_up_by_place_is_bounded.py).
"""

from __future__ import annotations

from guards import _index as index_module
from guards._index import _GRAMMED, _Needles


def test_values_sharing_every_key_and_a_long_result_take_every_value_to_occur() -> None:
    items = ["a" * k for k in range(3, 6003)]  # every one under the one key "aaa" (took 12.7 s)
    needles = _Needles(items)
    text = "a" * 5999  # shorter than the count of values: looked up by place
    assert len(items) > _GRAMMED and len(items) > len(text)
    assert needles.found_in(text) == list(range(len(items)))  # past the budget: fail closed, every value


def test_a_long_value_is_keyed_among_its_first_places() -> None:
    items = ["a" * k for k in range(3, 6003)]
    grams: dict[str, tuple[tuple[int, int], ...]] = {}
    index_module._gram_index(grams, items, 0)  # a value's key is not looked for along all of it
    assert max(at for entries in grams.values() for _, at in entries) < index_module._KEYED


def test_under_the_budget_the_gram_path_finds_exactly_the_values_present(monkeypatch) -> None:
    items = ["a" * 40 + f"{i:05d}" for i in range(400)]
    needles = _Needles(items)
    text = "x " + items[7] + " y " + items[123]
    assert needles.found_in(text) == [7, 123]
    monkeypatch.setattr(index_module, "_GRAM_BUDGET", 10)
    assert needles.found_in(text) == list(range(len(items)))  # past the budget: every one
