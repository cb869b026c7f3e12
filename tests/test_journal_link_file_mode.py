"""A journal created through a link to a file not there yet is its owner's alone, as any new journal is.

The README: "a file it creates is its owner's alone, mode 0600, as it keeps what tools
returned". `owners_file` makes the file first with `O_CREAT | O_EXCL`, which refuses a path that is a
symbolic link even when the link's target is not there yet (a journal path linked to a volume kept
for it, `.vfa/demo/journal.db -> /data/journal.db`, before the first run). It took the refusal for
"there already", and SQLite then created the target, and its -wal and -shm beside it, under the
umask: mode 0644, every private value every tool returned readable by every account of the host.
`vfa demo`'s checkpoints file is made by the same function.

What must hold: the file a journal (or the demo's checkpoints) creates through such a link, and its
-wal and -shm, have no permission for group or others; an existing file's mode is still left alone.

Fixed: the file is made where the link points (owners_file opens os.path.realpath(path)).
"""

from __future__ import annotations

import os
import stat

from vfa import EffectJournal
from vfa._journal import owners_file


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_journal_made_through_a_link_to_no_file_yet_is_the_owners_alone(tmp_path):
    old = os.umask(0o022)
    try:
        (tmp_path / "volume").mkdir()
        target = tmp_path / "volume" / "journal.db"
        link = tmp_path / "journal.db"
        link.symlink_to(target)
        journal = EffectJournal(link)
        journal.append([("t", "c1", "get_profile", "ran", {"result": {"ssn": "078-05-1120"}})])
        made = [target.with_name(target.name + s) for s in ("", "-wal", "-shm")]
        assert all(p.exists() for p in made), made
        modes = {p.name: oct(_mode(p)) for p in made}
        assert all(_mode(p) & 0o077 == 0 for p in made), modes
    finally:
        os.umask(old)


def test_owners_file_through_a_link_leaves_an_existing_target_as_it_was(tmp_path):
    target = tmp_path / "checkpoints.db"
    target.write_bytes(b"")
    os.chmod(target, 0o640)
    link = tmp_path / "link.db"
    link.symlink_to(target)
    owners_file(link)
    assert _mode(target) == 0o640
    assert link.is_symlink()
