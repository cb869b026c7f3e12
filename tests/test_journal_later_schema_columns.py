"""A journal written by a later vfa that changed the journal table is refused as a later vfa's, not as another app's.

A later vfa that changes the journal's schema records a higher `PRAGMA user_version` (README: "a journal
written by a later vfa is refused, left as it was"). The likeliest change is a column added to the `journal`
table. `EffectJournal._open` and `_read_only` look at the columns before the version: a journal whose table
holds vfa's seven columns and one more, stamped by a later vfa, is refused with "holds a table 'journal'
that is no vfa journal" / "is a SQLite database without a vfa journal in it" (vfa/_journal.py, `_open`'s
column check and `_read_only`'s), the message meant for another app's database. An operator who rolled a
deployment back is told the journal is not a journal (and may move it aside or start a new one, losing the
record exactly-once rests on) instead of "written by a later vfa: upgrade vfa".

What must hold: a file with a vfa journal table (vfa's columns, or its append-only triggers) and a later
schema version is refused, by a writer and by both readers, with the later-vfa error naming both versions;
the file is left as it was. Another app's database with a table of that name is still called another app's.

Fixed: the version is read before the columns, a table with vfa's columns or its append-only trigger counting
as a vfa journal of some version (`_vfa_table`).
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError
from vfa._journal import SCHEMA_VERSION


def _later_journal(path, change: str) -> None:
    EffectJournal(path).close()
    db = sqlite3.connect(path)
    db.execute(change)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()


@pytest.mark.parametrize("read_only", [False, True, "snapshot"])
@pytest.mark.parametrize("change", ["ALTER TABLE journal ADD COLUMN run TEXT",
                                    "ALTER TABLE journal RENAME COLUMN data TO payload"])
def test_a_later_vfas_changed_journal_is_refused_as_a_later_vfas(tmp_path, read_only, change):
    path = tmp_path / "journal.db"
    _later_journal(path, change)
    before = path.read_bytes()
    with pytest.raises(JournalError) as info:
        EffectJournal(path, read_only=read_only)
    said = str(info.value)
    assert "later vfa" in said and f"version {SCHEMA_VERSION + 1}" in said, said
    assert "no vfa journal" not in said and "without a vfa journal" not in said, said
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.db"]


@pytest.mark.parametrize("read_only", [False, True, "snapshot"])
def test_another_apps_journal_table_is_still_another_apps(tmp_path, read_only):
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, entry TEXT)")
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(JournalError) as info:
        EffectJournal(path, read_only=read_only)
    said = str(info.value)
    assert "later vfa" not in said and "upgrade vfa" not in said, said
