"""`EffectJournal` (and `Agent(journal=...)`) takes any object as a path, written by `str()`.

`EffectJournal(b"/srv/app/journal.db")` makes a directory "b'" in the working directory and keeps the journal
at "b'/srv/app/journal.db'"; `EffectJournal(None)` a file named "None"; `Agent(journal=1)` a file named "1".
Nothing says so, and a restart that names the journal properly finds none of the commits: exactly-once is
lost silently. A path must be text or `os.PathLike` (bytes as the file system decodes them); any other
object is a `TypeError` naming it, and nothing is created.

Fixed: a journal path is text, bytes (decoded as a file name) or a path object; anything else is a
`TypeError` and no file is made.
"""

from __future__ import annotations

import os

import pytest

from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel


def test_a_bytes_path_names_the_file_it_spells(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "j.db"
    try:
        journal = EffectJournal(os.fsencode(target))
    except TypeError:
        assert list(tmp_path.iterdir()) == []
        return
    journal.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("j.db")) == []
    assert target.exists()


@pytest.mark.parametrize("path", [None, 1, 2.5, ["j.db"]])
def test_a_path_of_another_type_is_refused_and_creates_nothing(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match="path"):
        EffectJournal(path)
    assert list(tmp_path.iterdir()) == []


def test_an_agent_journal_of_another_type_is_refused_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    def read(q: str) -> str:
        """Read."""
        return q
    with pytest.raises(TypeError, match="journal"):
        Agent(ScriptedModel([]), [read], journal=1)
    assert list(tmp_path.iterdir()) == []
