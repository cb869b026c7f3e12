"""A live reader (`read_only=True`) of a journal in a folder it cannot write to is told the file
is no SQLite database.

A journal in WAL mode that no writer has open has no `-wal` or `-shm` file beside it; a reader that goes on
reading (an audit or a monitor, as the README says) needs SQLite to make the `-shm` index there. In a folder
it may not write to (an archive, a read-only mount, another user's folder) that fails, and
`EffectJournal(path, read_only=True)` raises "'…/journal.db' cannot be read as a SQLite database (unable to open
database file)": a sound journal is called unreadable, and nothing says the folder is the problem nor that
`read_only="snapshot"` reads it (it does).

What must hold: the error names the folder that cannot be written and the way to read the journal as it is.

Fixed: _read_only names the folder that refuses the -shm index and points to read_only="snapshot".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from vfa import EffectJournal, JournalError


def _unwritable(path: Path, on: bool) -> bool:
    """Make the folder `path` unwritable even for root (`chattr +i`); False where that cannot be done."""
    if os.geteuid() != 0:
        path.chmod(0o555 if on else 0o755)
        return True
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_a_live_reader_in_an_unwritable_folder_is_told_why(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    writer = EffectJournal(folder / "journal.db")
    writer.append([("t", "c1", "pay", "proposed", {"args": {"to": "alice"}})])
    writer.close()
    assert sorted(p.name for p in folder.iterdir()) == ["journal.db"]
    if not _unwritable(folder, True):
        pytest.skip("cannot make a folder unwritable here")
    try:
        with pytest.raises(JournalError) as caught:
            EffectJournal(folder / "journal.db", read_only=True)
        snapshot = [e.kind for e in EffectJournal(folder / "journal.db", read_only="snapshot").entries()]
    finally:
        _unwritable(folder, False)
    said = str(caught.value)
    assert "cannot be read as a SQLite database" not in said, said
    assert str(folder) in said and "snapshot" in said, said
    assert snapshot == ["proposed"]
