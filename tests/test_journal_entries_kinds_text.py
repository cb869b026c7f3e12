"""`EffectJournal.entries(kinds=...)` given one kind as a text refuses it by name, never answers nothing.

What must hold (house rule: bad input gets a clear error naming the problem): `kinds` is a collection of
kinds. A text is a collection too, of its characters: `entries("t", kinds="proposed")` asked for entries of
kind "p", "r", "o", ... and returned an empty list, as if the thread held no proposal (`vfa/_journal.py`,
`EffectJournal.entries`, added with 5abda89). A reader after a thread's approvals would read none.

Fixed: a text `kinds` raises `TypeError` naming `kinds`.
"""

from __future__ import annotations

import pytest

from vfa import EffectJournal


def test_one_kind_given_as_a_text_is_refused_by_name():
    journal = EffectJournal()
    journal.append([("t", "c1", "send", "proposed", {"args": {}})])
    assert [e.kind for e in journal.entries("t", kinds=["proposed"])] == ["proposed"]
    with pytest.raises(TypeError, match="kinds"):
        journal.entries("t", kinds="proposed")
