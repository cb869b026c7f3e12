"""Red team 90: effects committed before a restart are read back committed exactly once afterwards.

`EffectJournal.committed` joins each `committed` row with its call's `started` and `restarted` rows and
groups by the committed row; a call started, cut off by a crash and started again has several start
rows. Checked here across real processes and a new journal on the same SQLite file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import os, sys
    from vfa import EffectJournal
    j = EffectJournal(sys.argv[1])
    j.commit("t", "c1", "pay", {"to": "a", "amount": 1}, lambda: "paid a")
    def die():
        with open(sys.argv[2], "a") as f:
            f.write("c2\\n")
        os._exit(9)  # a crash inside the effect, after its write-ahead record
    j.commit("t", "c2", "pay", {"to": "b", "amount": 2}, die)
""")


def test_committed_once_each_across_a_crash_and_restarts(tmp_path: Path) -> None:
    db, world = tmp_path / "j.db", tmp_path / "world.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rc = subprocess.run([sys.executable, "-c", CHILD, str(db), str(world)], env=env, timeout=120).returncode
    assert rc == 9

    after = EffectJournal(db)  # the restart: a new journal on the same file
    assert [(r.call_id, r.args, r.result) for r in after.committed("t")] == [("c1", {"to": "a", "amount": 1}, "paid a")]
    # c1 is not run again; c2 is started again from the start the crash cut off, and commits
    assert after.commit("t", "c1", "pay", {"to": "a", "amount": 1}, lambda: 1 / 0) == (True, "paid a")
    start = next(e for e in after.entries("t", call_id="c2") if e.kind == "started")
    ran: list[str] = []
    assert after.commit("t", "c2", "pay", {"to": "b", "amount": 2}, lambda: ran.append("b") or "paid b",
                        restart=start.seq) == (True, "paid b")
    assert after.commit("t", "c2", "pay", {"to": "b", "amount": 2}, lambda: ran.append("again")) == (True, "paid b")
    after.close()

    again = EffectJournal(db)  # and once more
    got = [(r.call_id, r.args, r.result) for r in again.committed("t")]
    assert got == [("c1", {"to": "a", "amount": 1}, "paid a"), ("c2", {"to": "b", "amount": 2}, "paid b")]
    assert ran == ["b"] and world.read_text() == "c2\n"
    kinds = [e.kind for e in again.entries("t", call_id="c2")]
    assert kinds.count("committed") == 1 and kinds.count("started") == 1 and kinds.count("restarted") == 1
