"""Red team 84: a read-only journal opened while no writer had the file open never sees later entries.

Fault. `_read_only` (vfa/_journal.py) opens the file with SQLite's `immutable=1` whenever no `-wal`
file lies beside it, i.e. whenever no writer has it open *at that moment*. `immutable` promises SQLite
the file will never change, so it takes no locks and ignores the write-ahead log: once the app starts
(its writer opens the file and appends to the log), an `EffectJournal(path, read_only=True)` reader,
such as an audit (`trace_from_journal`) or a monitor polling the journal, keeps reading the journal as
it was, even after the writer closed and checkpointed; it reports no new proposal, denial or commit.
(SQLite documents that reading an `immutable` file that does change may also give wrong answers or
errors.)

Why not a documented limit: the README says a journal no writer has open is read as immutable so that
no `-wal`/`-shm` file is left behind; it does not say that such a reader is a frozen snapshot, and
the `read_only` argument is documented as the way to read a journal "for an audit".

Expected: a read-only journal reads the entries written after it was opened (e.g. immutable only for
a one-shot read, or re-opened when a writer appears), while still writing nothing.
Fixed: only `read_only="snapshot"` (the one read of `vfa journal`) is read as immutable.
"""

from __future__ import annotations

from vfa import EffectJournal


def test_a_read_only_journal_sees_what_a_writer_appends_later(tmp_path) -> None:
    path = tmp_path / "journal.db"
    first = EffectJournal(path)
    first.append([("t", "c0", "pay", "proposed", {"args": {"amount": 5}})])
    first.close()  # no writer has the file open: no -wal beside it

    reader = EffectJournal(path, read_only=True)
    assert [e.call_id for e in reader.entries()] == ["c0"]

    writer = EffectJournal(path)  # the app starts again
    writer.append([("t", "c1", "pay", "proposed", {"args": {"amount": 900}})])
    writer.append([("t", "c1", "pay", "started", {"args": {"amount": 900}})])
    try:
        assert [e.call_id for e in reader.entries()] == ["c0", "c1", "c1"], "the reader missed the writer's entries"
    finally:
        writer.close()
    assert len(reader.entries()) == 3, "the reader still misses them once the writer closed"


def test_a_snapshot_is_the_journal_as_it_was_and_leaves_no_files(tmp_path) -> None:
    path = tmp_path / "journal.db"
    first = EffectJournal(path)
    first.append([("t", "c0", "pay", "proposed", {"args": {"amount": 5}})])
    first.close()
    snapshot = EffectJournal(path, read_only="snapshot")
    assert [e.call_id for e in snapshot.entries()] == ["c0"]
    snapshot.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.db"]
