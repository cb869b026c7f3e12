"""`EffectJournal.committed` reads a damaged row as every other reader does: a `JournalError` naming the row.

What must hold (fail closed, a clear error): the history guards read (`context.history`) comes from
`committed`; a `started` or `committed` row whose data is not vfa's JSON object (half-written, another writer's)
raised a bare `ValueError` or `KeyError` there, naming nothing, where `entries()` names the row.
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError


def _journal(tmp_path, damage: str) -> str:
    path = str(tmp_path / "j.db")
    with EffectJournal(path) as journal:
        journal.commit("t", "c1", "pay", {"to": "bob", "amount": 5}, lambda: "paid")
    db = sqlite3.connect(path)
    with db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.execute("UPDATE journal SET data=? WHERE kind=?", *[(damage.split(":", 1)[1], damage.split(":", 1)[0])])
    db.close()
    return path


@pytest.mark.parametrize("damage", ["started:{not json", "started:[1, 2]", 'started:{"tool": "pay"}',
                                    "committed:{not json"])
def test_a_damaged_row_is_a_journal_error_naming_it(tmp_path, damage):
    with EffectJournal(_journal(tmp_path, damage)) as journal:
        with pytest.raises(JournalError, match=r"journal entry \d+ \(thread 't', call 'c1'\)"):
            journal.committed("t")


def test_an_intact_journal_reads_its_commits(tmp_path):
    path = str(tmp_path / "j.db")
    with EffectJournal(path) as journal:
        journal.commit("t", "c1", "pay", {"to": "bob", "amount": 5}, lambda: "paid")
        [record] = journal.committed("t")
    assert (record.call_id, record.args, record.result) == ("c1", {"to": "bob", "amount": 5}, "paid")
