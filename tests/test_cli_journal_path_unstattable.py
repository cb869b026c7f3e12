"""`vfa journal PATH` on a path that cannot even be looked up says so; no traceback.

`_journal` asks `Path(PATH).exists()` first; on Python 3.11 (the oldest the project
supports) that raises for any error but "no such file": a name longer than the file system allows
(`File name too long`), or a journal in a folder its reader may not search (`Permission denied`),
ended `vfa journal` in an `OSError` traceback (exit 1) instead of a line naming the path (exit 2),
as every other path it cannot read gets.

What must hold: such a path gives exit 2 and one `vfa journal:` line naming the problem, and no
traceback.

Fixed: vfa journal stats the path: missing says 'no journal at', any other error 'cannot read PATH (reason)',
exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vfa.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_a_journal_path_whose_name_is_too_long_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / ("j" * 300 + ".db")  # one name past the 255 bytes a file system allows
    assert main(["journal", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vfa journal:") and "too long" in err, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root searches any folder")
def test_a_journal_in_a_folder_that_cannot_be_searched_is_a_clear_error(tmp_path):
    folder = tmp_path / "closed"
    folder.mkdir()
    (folder / "journal.db").write_bytes(b"")
    folder.chmod(0o000)
    try:
        proc = subprocess.run([sys.executable, "-m", "vfa", "journal", str(folder / "journal.db")], capture_output=True,
                              text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        folder.chmod(0o700)
    assert "Traceback" not in proc.stderr, proc.stderr[-600:]
    assert proc.returncode == 2 and proc.stderr.startswith("vfa journal:"), proc.stderr
