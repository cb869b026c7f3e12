"""Red team 141: a private text of Cyrillic or Greek letters, or with ß or a final ς, that the model read in
clear reaches a recipient outside its readers once the model changes its case with ordinary Python
(`.lower()`, `.upper()`, `.title()`, `.casefold()`, `.swapcase()`): "Григорий Петров" mailed as
"григорий петров", "Γιώργος" as "ΓΙΏΡΓΟΣ", "Hauptstraße 5, Zürich" as "HAUPTSTRASSE 5, ZÜRICH". Value
tracking reads every text folded to lower case ("words in other case" are the same words, docs/privacy.md), but it
folds look-alikes before lower-casing with a table of mostly lower-case letters (г -> r, but Г is kept,
so "Г".lower() -> "г" and "г" -> "r" differ) and lower-cases with `str.lower`, which keeps ß and ς while
upper-casing writes SS and Σ. A case change is no paraphrase, encoding or look-alike: it is the one
transformation docs/privacy.md says tracking ignores.

Fixed: `guards._forms._low` folds case (NFKC, casefold) before look-alikes, wherever tracking reads a
text; ASCII keeps `str.lower`.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_privacy_labels_through_python import mailed

from guards._forms import _norm, _words

CASES = ["lower", "upper", "title", "casefold", "swapcase"]


@pytest.mark.parametrize("value", ["Григорий Петров", "Γιώργος Παπαδόπουλος", "Hauptstraße 5, Zürich",
                                   "Ёлкин Пётр Ильич"])
@pytest.mark.parametrize("case", CASES)
def test_a_private_name_mailed_in_another_case_is_denied(value: str, case: str) -> None:
    assert mailed(value, lambda v: f"note: {getattr(v, case)()}") == [], \
        f"{value!r} reached Bob as {getattr(value, case)()!r}"


def test_a_private_russian_sentence_title_cased_is_denied() -> None:
    # six words of a private text: read word by word (shingles), the same fold
    text = "мы продадим северную ферму гончаровым до начала сбора урожая поздней осенью"
    assert mailed(text, str.title) == []


LETTERS = [chr(c) for c in range(0x80, 0x3000) if unicodedata.category(chr(c)) in ("Lu", "Ll", "Lt")]


@settings(max_examples=400, derandomize=True, deadline=None, database=None)
@given(word=st.text(st.sampled_from(LETTERS), min_size=1, max_size=6), case=st.sampled_from(CASES))
def test_tracking_reads_a_text_the_same_in_every_case(word: str, case: str) -> None:
    # the property behind the leak: the normal form tracking compares is blind to case
    text = f"ab{word}cd"
    changed = getattr(text, case)()
    assert _norm(changed) == _norm(text), (text, changed)
    assert _words(changed) == _words(text), (text, changed)
