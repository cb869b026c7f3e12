"""A journal file records the version of its schema, and a vfa refuses a journal of a later one.

The journal is a file kept for good (an audit reads it years on; the README's exactly-
once promise rests on it across restarts and upgrades), yet it recorded no schema version: its
`PRAGMA user_version` was 0, as in any SQLite file. A later vfa that changes what a row means (a new
kind, a column, a new meaning of `data`) cannot tell a journal it wrote from one an earlier vfa wrote,
and an earlier vfa given a later journal reads it as its own: it appends rows a later reader misreads,
and answers replays from records it half understands, without a word.

What must hold: a journal vfa writes says its schema version (`PRAGMA user_version`, SQLite's place for
it, not 0); one written before versions were recorded (0) is read as before and stamped when opened
for writing; one of a later version is refused by a writer and by a reader (`vfa journal`) with a
`JournalError` naming the file and both versions, the file left as it was.

Fixed: the journal records SCHEMA_VERSION in PRAGMA user_version; a later version is refused by writers and
readers before the file is changed.
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError
from vfa._journal import _SCHEMA


def _version(path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_a_new_journal_records_its_schema_version(tmp_path):
    path = tmp_path / "journal.db"
    EffectJournal(path).close()
    assert _version(path) >= 1


def test_a_journal_from_before_versions_is_read_and_stamped(tmp_path):
    path = tmp_path / "journal.db"
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO journal (ts, thread_id, call_id, tool, kind, data) VALUES (1, 't', 'c', 'x', 'proposed', '{}')")
    db.commit()
    db.close()
    assert [e.kind for e in EffectJournal(path, read_only="snapshot").entries()] == ["proposed"]
    EffectJournal(path).close()
    assert _version(path) >= 1


@pytest.mark.parametrize("read_only", [False, True, "snapshot"])
def test_a_journal_of_a_later_schema_is_refused_and_left_as_it_was(tmp_path, read_only):
    path = tmp_path / "journal.db"
    EffectJournal(path).close()
    later = _version(path) + 1
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={later}")
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    before = path.read_bytes()
    with pytest.raises(JournalError) as info:
        EffectJournal(path, read_only=read_only)
    said = str(info.value)
    assert str(path) in said and f"version {later}" in said, said
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.db"]
