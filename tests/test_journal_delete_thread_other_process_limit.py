"""Erasing a thread while a read-only call of it runs in another process on the same journal file.

What must hold (docs/kernel.md "Erasing a thread": "a call of the thread under way in a live run refuses the
deletion (`CallInFlightError`, nothing deleted)"): a deletion that returns leaves no record of the thread.
An effect's call is seen across processes by its write-ahead `started` record; a read-only tool's call
writes nothing until its result, so a deletion in another process goes ahead while it runs, and the
result (private, in clear) is journaled right after the deletion returned: the erased thread is back.

Not fixed: a stated limit (docs/kernel.md "Erasing a thread"); telling a read-only call under way to another
process needs a record of it written before it runs. Pinned strict, so a fix shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vfa import CallInFlightError, EffectJournal

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
from pathlib import Path
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

folder = Path(sys.argv[1])

def lookup(name: str) -> str:
    '''Read a customer's record.'''
    (folder / "inside").touch()
    deadline = time.monotonic() + 20
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return name + ": SSN 078-05-1120"

with EffectJournal(folder / "journal.db") as journal:
    agent = Agent(ScriptedModel([("lookup", {"name": "ada"}), "ok"]), [lookup], journal=journal)
    agent.compile().invoke({"messages": [("user", "look ada up")]}, {"configurable": {"thread_id": "t"}})
"""


def _wait_for(path: Path, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never ran its tool"
        time.sleep(0.02)


@pytest.mark.xfail(strict=True, reason="stated limit: a read-only call in another process is not seen by a deletion")
def test_a_read_only_call_of_another_process_refuses_the_deletion(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "journal.db") as journal:
        journal.append([("t", "earlier", "lookup", "proposed", {"args": {}})])
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            _wait_for(tmp_path / "inside", child)
            refused = False
            try:
                journal.delete_thread("t")
            except CallInFlightError:
                refused = True
        finally:
            (tmp_path / "go").touch()
            out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err.decode()[-2000:]
        left = journal.entries("t")
        # either the deletion was refused (the run's record stands), or nothing of the thread is left
        assert refused or left == [], [e.kind for e in left]
        if refused:
            assert any(e.kind == "ran" for e in left)

