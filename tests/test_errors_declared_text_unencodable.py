"""A precondition or a journal path that is no encodable text is refused naming what it is.

1. `@requires("amount > 0 or to == '\\ud800'")` (a lone surrogate, as bytes that are not UTF-8 decode to)
   raised `UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position 22` from
   `ast.parse`: neither the tool nor the clause is named, where every other malformed clause is a
   `PolicyError` naming both (`guards/_clauses.py:_parse`).
2. `EffectJournal("/tmp/j\\x00.db")` raised `ValueError: embedded null byte` from `os.open`, and
   `EffectJournal("/tmp/j\\ud800.db")` a bare `UnicodeEncodeError`: the journal's path is not named,
   where an empty path is ("the journal's path is empty; ...").

Expected: a `PolicyError` naming the tool and the clause; a `ValueError` naming the journal's path. No
file is made.

Fixed: a precondition holding a lone surrogate is a PolicyError naming the tool and clause; a journal path
holding a NUL or a lone surrogate is a ValueError naming the path, no file made.
"""

from __future__ import annotations

import os

import pytest
from pydantic import BaseModel

from guards import requires
from vfa import EffectJournal, PolicyError


class Account(BaseModel):
    balance: int


def test_clause_with_a_lone_surrogate_is_a_policy_error_naming_it() -> None:
    def pay(to: str, amount: int) -> str:
        """Pay."""
        return "paid"

    with pytest.raises(PolicyError, match="pay.*surrogate"):
        requires("amount > 0 or to == '\ud800'", state=Account)(pay)


@pytest.mark.parametrize("bad", ["j\x00.db", "j\ud800.db"])
def test_journal_path_that_is_no_file_name_is_refused_naming_it(tmp_path, bad: str) -> None:
    with pytest.raises(ValueError, match="journal's path"):
        EffectJournal(os.path.join(str(tmp_path), bad))
    assert os.listdir(tmp_path) == []
