"""Another app's SQLite database without a table named `journal` is refused by a writer, and left as it was.

`EffectJournal(path)` refuses another app's database when it records a schema version of its own
(`tests/test_journal_foreign_versioned_db.py`) or holds a table or view named `journal`
(`tests/test_demo_foreign_journal.py`, `tests/test_journal_view_refused_before_wal.py`), and a reader
(`read_only=True`, "snapshot") refuses any database without a vfa journal in it. A writer given an app's
database whose `user_version` is still 0 (as SQLite leaves it) and that has no `journal` table took it
for a new journal: it switched the file to WAL, added its table, indexes and triggers beside the app's,
and stamped the app's `PRAGMA user_version` 1 (`vfa/_journal.py` `EffectJournal._open`). An app that reads
`user_version` to know which migrations it ran then skips its first; once it runs one (its version 2), vfa
refuses its own journal, effects recorded in it, as "written by a later vfa ...: upgrade vfa", which no
upgrade fixes (a slip in a path, `journal="app.db"`, is all it takes).

What must hold: a writer refuses a database that holds another app's tables and no vfa journal, with a
`JournalError` saying it is another app's database and to give the journal a file of its own, the file
left byte for byte as it was (its version, its journal mode, its tables); an empty file, a new path and a
vfa journal still open as before.

Fixed: a writer refuses a database holding tables but no journal, naming them and leaving the file byte for
byte as it was.
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError


def _app_db(path, version: int = 0) -> bytes:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO users VALUES (1, 'ann')")
    if version:
        db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("version", [0, 1])
def test_another_apps_database_is_refused_by_a_writer_and_left_as_it_was(tmp_path, version) -> None:
    path = tmp_path / "app.db"
    before = _app_db(path, version)
    with pytest.raises(JournalError) as err:
        EffectJournal(path)
    said = str(err.value)
    assert "another app's database" in said and "users" in said, said
    assert "upgrade vfa" not in said, said
    assert path.read_bytes() == before, "the other app's database was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def test_an_empty_file_a_new_path_and_a_journal_still_open(tmp_path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with EffectJournal(empty) as journal:
        journal.append([("t", "c", "x", "proposed", {"args": {}})])
    with EffectJournal(tmp_path / "new.db") as journal:
        journal.append([("t", "c", "x", "proposed", {"args": {}})])
    for path in (empty, tmp_path / "new.db"):
        with EffectJournal(path) as journal:
            assert [e.kind for e in journal.entries("t")] == ["proposed"]
