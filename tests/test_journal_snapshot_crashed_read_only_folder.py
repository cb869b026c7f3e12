"""`vfa journal` on a crashed journal in a read-only folder tells the user to do what it already does.

A writer cut off by a crash (or a power cut, or a disk Linux remounted read-only after an I/O error)
leaves its last entries in `journal.db-wal`, not yet copied into `journal.db`. Put in a folder that cannot
be written (an archive, a read-only mount, a backup copied without the `-shm` index, which SQLite says
backups need not keep), the journal cannot be read at all: SQLite reads a `-wal` only through its
`-shm` index, which it must make beside it, and an immutable read (the snapshot's way) ignores the `-wal`.
`vfa journal PATH` (`EffectJournal(path, read_only="snapshot")`) then says: "cannot be read while writers
may append to it ... read the journal as it is now with read_only="snapshot" (as `vfa journal` does)"
(vfa/_journal.py `_unreadable`): advice for a live reader, given to the snapshot reader itself. The
operator, after a crash, is sent in a circle and never told that the entries are in the `-wal` nor what
would read them.

What must hold: a snapshot that cannot read the journal's `-wal` says so, naming the `-wal` file and
what to do (copy the journal with its `-wal` to a folder that can be written), never to use the snapshot
read it is; the files are left as they were.

Fixed: `_unreadable` tells a snapshot reader that the entries are in the `-wal` and to copy the journal with it
to a folder that can be written.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from vfa import EffectJournal, JournalError
from vfa.cli import main


def _unwritable(path, on: bool) -> bool:
    """Make the folder `path` unwritable even for root (`chattr +i`); False where that cannot be done."""
    if os.geteuid() != 0:
        path.chmod(0o555 if on else 0o755)
        return True
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_a_snapshot_that_cannot_read_the_wal_says_so(tmp_path, capsys):
    writer = EffectJournal(tmp_path / "journal.db")
    writer.append([("t", "c1", "pay", "proposed", {"args": {"to": "alice"}})])
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("journal.db", "journal.db-wal"):  # as a crash left them (the writer still has them open)
        shutil.copyfile(tmp_path / name, archive / name)
    writer.close()
    before = {p.name: p.read_bytes() for p in archive.iterdir()}
    if not _unwritable(archive, True):
        pytest.skip("cannot make a folder unwritable here")
    try:
        with pytest.raises(JournalError) as caught:
            EffectJournal(archive / "journal.db", read_only="snapshot")
        code = main(["journal", str(archive / "journal.db")])
    finally:
        _unwritable(archive, False)
    said = str(caught.value)
    assert "journal.db-wal" in said and "copy" in said, said
    assert 'read_only="snapshot"' not in said and "as `vfa journal` does" not in said, said
    assert code == 2
    printed = capsys.readouterr().err
    assert "journal.db-wal" in printed and "as `vfa journal` does" not in printed, printed
    assert {p.name: p.read_bytes() for p in archive.iterdir()} == before
