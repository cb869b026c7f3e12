"""A new journal file is created readable by every user of the host.

The journal keeps what tools returned as the flow read it, private values in clear (a profile's SSN the
model only ever held as a handle is in its `ran` entry: that is how a restarted flow labels the thread
again), and a person's answers. `EffectJournal(path)` let SQLite create the file, so under the usual
umask 022 the file and its `-wal` / `-shm` companions were mode 0644: any local account could read
every private value every agent's tools returned. A file vfa creates to hold private data should be
its owner's alone (0600), as ssh keys and password stores are; an existing file keeps the mode its
owner gave it (replicas of other accounts sharing one journal are set up by hand).

Fixed: a journal file vfa creates is made mode 0600 first; SQLite gives -wal and -shm the same mode.
"""

from __future__ import annotations

import os
import stat

from vfa import EffectJournal


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_journal_and_its_wal_files_are_the_owners_alone(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "journal.db"
        journal = EffectJournal(path)
        journal.append([("t", "c1", "get_profile", "ran", {"result": {"ssn": "078-05-1120"}})])
        made = [p for p in (path, tmp_path / "journal.db-wal", tmp_path / "journal.db-shm") if p.exists()]
        assert len(made) == 3, made
        modes = {p.name: oct(_mode(p)) for p in made}
        assert all(_mode(p) & 0o077 == 0 for p in made), modes
    finally:
        os.umask(old)


def test_an_existing_journal_file_keeps_its_mode(tmp_path):
    path = tmp_path / "journal.db"
    EffectJournal(path)
    os.chmod(path, 0o640)
    EffectJournal(path)
    assert _mode(path) == 0o640
