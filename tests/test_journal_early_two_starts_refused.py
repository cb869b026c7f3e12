"""A journal of an early vfa that holds two write-ahead records of one call is refused naming why, not by SQLite.

vfa before 6dc75d5 ("one write-ahead record per call") had no `journal_started_once` index: a call two
replicas ran, or one run again after its run was cut off (a `KeyboardInterrupt` inside the effect, then
`commit` again), was journaled `started` twice. Its file records schema version 0, which this vfa reads
"as this one" and stamps when it opens it for writing (`vfa/_journal.py` `SCHEMA_VERSION`). Opened for
writing, the schema script's `CREATE UNIQUE INDEX journal_started_once` fails on those two rows, and the
journal cannot be opened: `JournalError: cannot open the journal at ...: UNIQUE constraint failed:
journal.thread_id, journal.call_id`, SQLite's words, naming neither the call, nor that an earlier vfa
wrote the file, nor what to do (a reader opens it, so its entries are not lost).

What must hold: the writer refuses the file with a `JournalError` saying an earlier vfa journaled that
call (thread and call id) started twice and that this vfa cannot write to it (read it with `read_only`,
journal new runs in a new file); the rows are left as they were, and a reader still reads them.

Fixed: the writer refuses the file naming the thread, the call and the earlier vfa, and says to read it with
read_only=True.
"""

from __future__ import annotations

import sqlite3

import pytest

from vfa import EffectJournal, JournalError
from vfa._journal import _SCHEMA

# the schema of vfa before 6dc75d5: no unique index on a call's starts, no partial index on them
_EARLY = "\n".join(line for line in _SCHEMA.splitlines() if "journal_started_" not in line)


def _early_journal(path) -> None:
    db = sqlite3.connect(path)
    db.executescript(_EARLY)
    row = "INSERT INTO journal (ts, thread_id, call_id, tool, kind, data) VALUES (?, 't1', 'call_1', 'pay', ?, ?)"
    db.execute(row, (1.0, "proposed", '{"args":{"amount":5}}'))
    db.execute(row, (1.0, "started", '{"args":{"amount":5}}'))  # the run was cut off: no outcome
    db.execute(row, (2.0, "started", '{"args":{"amount":5}}'))  # started again by a second run
    db.execute(row, (2.0, "committed", '{"result":"paid"}'))
    db.commit()
    db.close()


def test_a_writer_refuses_it_naming_the_call_and_the_earlier_vfa(tmp_path) -> None:
    path = tmp_path / "journal.db"
    _early_journal(path)
    with pytest.raises(JournalError) as err:
        EffectJournal(path)
    said = str(err.value)
    assert "UNIQUE constraint" not in said, said
    assert "earlier vfa" in said and "'call_1'" in said and "'t1'" in said and "read_only" in said, said
    with EffectJournal(path, read_only=True) as reader:
        assert [e.kind for e in reader.entries("t1")] == ["proposed", "started", "started", "committed"]
