"""A precondition whose clause holds a string literal of 300 characters, with `backend="z3"`.

The threshold that sends a check to Z3's rewriter reads the call's values only. A clause such as
`(LIT if kind != 'memo' else note) != note`, LIT a literal of 300 characters, checked with short values,
goes to the pushed solver: its first `push()` (which takes in the precondition) ran for over 3 minutes on
z3 5.4, heeding no timeout (`timeout_ms=100`), holding the process's one Z3 lock. The guard's deadline
denies the call, but its worker goes on, and every Z3-backed check in the process waits on the lock and
is denied until it ends. (A literal of 290 characters is decided at once; literals of ~250 characters
hung the same way after other checks had run in the process, not alone.)

Expected: the check is decided within its budget (here: in a child process, within 20 s).

Fixed: a formula holding a string literal past 256 characters is decided by Z3's rewriter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent('''
    from guards import requires
    from vfa import GuardContext, Proposal, ToolSpec, effect

    LIT = "p" * 300

    @effect
    @requires(f"({LIT!r} if kind != 'memo' else note) != note", backend="z3", timeout_ms=100)
    def post(kind: str, note: str) -> str:
        """Post a note."""
        return "posted"

    spec = ToolSpec.of(post)
    guard = spec.guards[0]
    for kind, note, want in (("memo", "hi", "deny"), ("mail", "hi", "allow"), ("mail", LIT, "deny")):
        v = guard.check(Proposal(tool=spec.name, args={"kind": kind, "note": note}, call_id="c"),
                        GuardContext(tool=spec))
        print(kind, len(note), v.kind, want, flush=True)
        assert v.kind == want, (kind, note[:10], v)
''')


def test_a_long_literal_in_a_clause_is_decided_within_the_budget() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the check did not end within 20 s (output so far: {exc.stdout!r})") from None
    assert out.returncode == 0, out.stdout + out.stderr
