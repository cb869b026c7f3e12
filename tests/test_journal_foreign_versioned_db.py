"""Another app's SQLite database that records a schema version of its own is not called a later vfa journal.

`EffectJournal._open` refuses a file whose `PRAGMA user_version` is above vfa's SCHEMA_VERSION with
"the journal at ... has schema version 3, written by a later vfa ...: upgrade vfa to use it"
(vfa/_journal.py `_later`), before it looks whether the file holds a vfa journal at all. `user_version` is
SQLite's one slot for any app's schema version (migration tools set it), so a journal path that names an
app's database (a slip in a path, a journal put beside the app's tables) is refused with a cause that is not
the cause and a fix that fixes nothing: upgrading vfa gives the same error.

What must hold: the refusal says the file holds no vfa journal (it is another app's database) and does not
tell the user to upgrade vfa; the file is left as it was.

Fixed: a file without a vfa journal whose user_version is above vfa's is refused as another app's database,
left as it was.
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError


def test_another_apps_versioned_database_is_named_as_such(tmp_path) -> None:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    with pytest.raises(JournalError) as err:
        EffectJournal(path)
    said = str(err.value)
    assert "later vfa" not in said and "upgrade vfa" not in said, said
    assert "no vfa journal" in said, said
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'journal'").fetchone() is None
    finally:
        db.close()
