"""Red team 146: words of a private text joined by an invisible mark (a zero-width space, a blank filler)
are read apart (red team 94), and JSON's `\\uXXXX` escapes are read as the letters they stand for (commit
4858b5f), but not both: the same words json.dumps'd, which writes every such mark as an escape, go out.

`guards._forms._marks_spaced` (what takes an invisible mark for a space) returns None for a text that is
all ASCII, so "the\\u200bspare\\u200bkey\\u200bis\\u200bunder\\u200bthe\\u200bblue\\u200bmat" is read only by
`_low`, which decodes the escapes and then drops the marks: "thesparekeyisundertheblue mat" is one word,
no six-word run of the private note. Mailed to Bob as `json.dumps({"ps": words})` the run reaches him; the
same words with the marks written as they are, or json.dumps'd with spaces, are denied (controls). The
docs/privacy.md lists neither invisible marks nor JSON escapes among the limits.

Fixed: `_marks_spaced` decodes JSON escapes before it looks for marks.
"""

from __future__ import annotations

import json

import pytest
from test_privacy_labels_through_python import mailed

NOTE = "Plan: we move the vault on friday night. The spare key is under the blue mat by the shed."
B = "the spare key is under the blue mat"


@pytest.mark.parametrize("build", [lambda: "ps " + B.replace(" ", "\u200b"), lambda: json.dumps({"ps": B})])
def test_control_marks_as_written_or_escaped_spaces_are_denied(build) -> None:
    assert mailed(NOTE, lambda v: build()) == []


@pytest.mark.parametrize("mark", ["\u200b", "\u2060", "\u3164", "\u180e"])
def test_words_joined_by_an_escaped_invisible_mark_are_denied(mark: str) -> None:
    body = json.dumps({"ps": B.replace(" ", mark)})
    assert mailed(NOTE, lambda v: body) == [], f"{body!r} reached Bob"
