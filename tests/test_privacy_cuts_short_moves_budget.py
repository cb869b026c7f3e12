"""`Cuts.across` stays within `VISITS` where the old search did, also when the texts' short ends and
whole texts together make first pieces of `PIECE` characters or more.

A short end ("0" * 63) and a whole text ("0" * 60) make a first piece of 123 characters; `_short_moves`
looks such a piece up by its last `PIECE` characters, whose entry holds every cut of every value
repeating that window (a value of 490 zeros: 427 cuts). Ten such values and four texts make about a
million entries tested, where the old search (testing every cut the texts' ends hold) tests a few
thousand and answers at once. What must hold: the new search answers what the old one answers, never
`TooManyCuts` where the old one stayed within the budget (a call refused, or its values cut in three
left to pairs of texts, for no cause).

Fixed: `_short_moves` is chosen only where `_short_within` counts no more entries than walking the values
reads; else the values are walked, as the old search did (`guards/_cuts.py`).
"""

from __future__ import annotations

import pytest
from test_privacy_cuts_as_before import OldCuts, _same

from guards._cuts import VISITS, Cuts


def test_short_ends_and_whole_texts_making_a_long_first_piece_stay_within_the_budget(monkeypatch) -> None:
    values = ["0" * n for n in range(490, 500)]
    texts = ["0" * 63, "0" * 60, "0" * 61, "0" * 62]
    assert OldCuts().extended(values).across(texts, visits=VISITS) == ({}, False)  # within the budget
    assert Cuts().extended(values).across(texts) == ({}, False)
    _same([values], texts, True, VISITS, False, monkeypatch)


@pytest.mark.parametrize("through", [True, False])
def test_repeated_values_and_texts_of_one_character_are_answered_as_before(through, monkeypatch) -> None:
    for count in (4, 8, 12, 16):
        values = ["0" * n for n in range(500 - count, 500)]
        texts = ["0" * 63, *("0" * m for m in range(64 - count, 63))]
        _same([values], texts, through, VISITS, False, monkeypatch)
