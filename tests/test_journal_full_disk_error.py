"""A journal write on a full disk fails naming the full disk, not a failed rollback.

A write that SQLite refuses with SQLITE_FULL ("database or disk is full": the disk, a
quota, `max_page_count`) makes SQLite roll the transaction back itself. `EffectJournal._transaction`
then issued its own ROLLBACK, which raised "cannot rollback - no transaction is active", and that
error, not the full disk, became the `JournalError`: `journal '/…/journal.db': cannot rollback - no
transaction is active`. The operator is told nothing about the disk, and the real cause is only in a
chained traceback. Each write of the journal (a commit's write-ahead record, a denial, a result)
goes through that one transaction, so each said the same.

What must hold: the error names the file and the full disk; nothing ran whose start was not
journaled; once there is room again the journal goes on as before.

Fixed: the journal rolls back only a transaction SQLite has not rolled back itself.
"""

from __future__ import annotations

import pytest

from vfa import EffectJournal, JournalError


def _full(tmp_path) -> EffectJournal:
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c0", "pay", "proposed", {"args": {}})])
    # the disk fills: no page may be added to the file (the brief's simulation of a full disk)
    (pages,) = journal._db.execute("PRAGMA page_count").fetchone()
    journal._db.execute(f"PRAGMA max_page_count={pages}")
    return journal


def test_a_commit_on_a_full_disk_says_the_disk_is_full_and_runs_nothing(tmp_path):
    journal = _full(tmp_path)
    ran = []
    with pytest.raises(JournalError) as info:
        journal.commit("t", "c1", "pay", {"memo": "x" * 20_000}, lambda: ran.append(1) or "paid")
    assert "disk is full" in str(info.value), str(info.value)
    assert "journal.db" in str(info.value)
    assert ran == []
    assert [e.kind for e in journal.entries("t")] == ["proposed"]


def test_a_denial_on_a_full_disk_says_the_disk_is_full(tmp_path):
    journal = _full(tmp_path)
    with pytest.raises(JournalError, match="disk is full"):
        journal.append([("t", "c1", "pay", "denied", {"reason": "x" * 20_000})])


def test_the_journal_goes_on_once_there_is_room(tmp_path):
    journal = _full(tmp_path)
    with pytest.raises(JournalError):
        journal.append([("t", "c1", "pay", "denied", {"reason": "x" * 20_000})])
    journal._db.execute("PRAGMA max_page_count=1073741823")
    assert journal.commit("t", "c2", "pay", {"memo": "rent"}, lambda: "paid") == (True, "paid")
    assert [(e.call_id, e.kind) for e in journal.entries("t")] == [
        ("c0", "proposed"), ("c2", "started"), ("c2", "committed")]
