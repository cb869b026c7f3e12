"""A journal whose folder cannot be made is refused with a `JournalError` naming the journal and why.

`EffectJournal(path)` makes the journal's folder first (`mkdir(parents=True)`) and let
its `OSError` through: under a path that runs through a regular file (a file named as the folder
should be, `state/journal.db` with `state` a file) the caller got `FileExistsError: [Errno 17] File
exists: '…/state'` -- a bare OS error naming no journal, and saying the opposite of the trouble (a
folder is missing, a file is in its way). Where the folder exists but cannot be written, SQLite's
own refusal is a `JournalError` naming the journal ("cannot open the journal at …"); an app that
catches `JournalError` (`VfaError`) for a journal it cannot open missed this one.

What must hold: a `JournalError` naming the journal's path and the folder that could not be made,
nothing created.

Fixed: a folder that cannot be made is a JournalError naming the journal and the folder.
"""

from __future__ import annotations

import pytest

from vfa import EffectJournal, JournalError


@pytest.mark.parametrize("under", ["state", "state/deeper"])
def test_a_journal_under_a_file_is_a_journal_error_naming_it(tmp_path, under):
    (tmp_path / "state").write_text("not a folder")
    path = tmp_path / under / "journal.db"
    with pytest.raises(JournalError) as info:
        EffectJournal(path)
    said = str(info.value)
    assert str(path) in said, said
    assert "folder" in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]
    assert (tmp_path / "state").read_text() == "not a folder"
