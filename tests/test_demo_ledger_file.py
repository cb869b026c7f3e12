"""`vfa demo` reads a ledger file that is not a ledger as if it were one, or ends in a traceback.

Red team 154. The README says a file of the demo's folder that is damaged is named in an error and
left as it was. The ledger is read with `int(...)` and `set(...)`, which take what no ledger holds: a
balance of 100.7 is read as 100 (and the next payment saves 0: the 0.7 is gone), payees written as one
string `"alice"` are read as the payees a, l, i, c, e (the landlord, the known payee, becomes a new one
to ask about, and the letters are saved as payees), a balance of 1e400 ends the run in an
`OverflowError` traceback, and payees nested 100,000 lists deep in a `RecursionError` traceback.

Fixed: a ledger's balance must be an integer and its payees a list of names; anything else is an error
naming `ledger.json`, the file left alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NESTED = "[" * 100_000 + "]" * 100_000

ROOT = Path(__file__).resolve().parents[1]


def vfa(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("ledger", [
    '{"balance": 100.7, "payees": ["alice", "landlord"], "limit": 100}',
    '{"balance": 300, "payees": "alice", "limit": 100}',
    '{"balance": true, "payees": ["alice", "landlord"], "limit": 100}',
    '{"balance": "300", "payees": ["alice", "landlord"], "limit": 100}',
    '{"balance": 1e400, "payees": ["alice", "landlord"], "limit": 100}',
    '{"balance": 300, "payees": ' + NESTED + ', "limit": 100}',
], ids=["float", "payees-string", "bool", "string", "infinite", "nested"])
def test_a_ledger_that_is_no_ledger_is_named_in_a_clear_error_and_left_as_it_was(tmp_path: Path, ledger):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "ledger.json").write_text(ledger)
    proc = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-500:]
    assert proc.returncode == 2 and "ledger.json" in proc.stderr, (proc.returncode, proc.stdout[-300:], proc.stderr[-300:])
    assert (tmp_path / "out" / "ledger.json").read_text() == ledger, "the ledger was rewritten"
