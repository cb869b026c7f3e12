"""Six words of a private text joined by zero-width marks instead of spaces are the text's words.

A reader sees "we move the vault on friday night" whether the words are joined by spaces or by
zero-width spaces (U+200B) or joiners (U+2060); folding removes those marks, so the words ran
together into one and no six-word run of the note was found: the text reached Eve. The words are
now also read with each mark taken for a space (and still with the marks removed, so a mark inside
one word hides nothing either).
"""

from __future__ import annotations

import pytest
from _split_agent import BOB, EVE, build

NOTE = "Plan: we move the vault on friday night, tell nobody."
WORDS = "we move the vault on friday night"


@pytest.mark.parametrize("mark", ["\u200b", "\u2060", "\u200c", "\u00ad"])
def test_words_joined_by_an_invisible_mark_are_denied_to_an_outsider(mark: str) -> None:
    sent, _posts, denials, _flow = build([("send", {"to": [EVE], "body": WORDS.replace(" ", mark)})], note=NOTE)
    assert sent == [] and denials


def test_a_mark_inside_a_word_still_hides_nothing() -> None:
    body = WORDS.replace("vault", "va\u200bult")
    sent, _posts, denials, _flow = build([("send", {"to": [EVE], "body": body})], note=NOTE)
    assert sent == [] and denials


def test_the_words_with_marks_go_to_a_reader() -> None:
    sent, _posts, denials, _flow = build([("send", {"to": [BOB], "body": "see you on friday\u200b night"})], note=NOTE)
    assert sent and not denials
