"""Agent.delete_thread refused by an effect under way in another process deletes nothing.

What must hold (`Agent.delete_thread`'s docstring: "While a call of the thread runs, `CallInFlightError`, and
neither is deleted"; docs/kernel.md "Erasing a thread": "refuses the deletion (`CallInFlightError`, nothing
deleted)"): when the journal refuses the deletion because an effect of the thread is under way in another
process (its write-ahead `started` record names a live run), the thread's checkpoints are still there.
They were deleted first (`first()` under the thread's lock) and only then did the journal look for a call in
flight: the conversation lost its checkpoints while its journal was kept, and the run under way in the other
process writes its next checkpoint into a thread whose history is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, CallInFlightError, EffectJournal
from vfa.testing import ScriptedModel

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
from pathlib import Path
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

folder = Path(sys.argv[1])

@effect
def pay(amount: int) -> str:
    '''Pay an amount.'''
    (folder / "inside").touch()
    deadline = time.monotonic() + 20
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return "paid"

with EffectJournal(folder / "journal.db") as journal:
    agent = Agent(ScriptedModel([("pay", {"amount": 3}), "ok"]), [pay], journal=journal)
    agent.compile().invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
"""


def test_a_refused_deletion_leaves_the_checkpoints(tmp_path: Path) -> None:
    config = {"configurable": {"thread_id": "t"}}
    with EffectJournal(tmp_path / "journal.db") as journal, \
            SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
        agent = Agent(ScriptedModel(["hello"]), [], journal=journal)
        agent.compile(checkpointer=saver).invoke({"messages": [("user", "hi")]}, config)
        assert saver.get_tuple(config) is not None
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            deadline = time.monotonic() + 30
            while not (tmp_path / "inside").exists():
                assert child.poll() is None, child.communicate()
                assert time.monotonic() < deadline, "the child never ran its effect"
                time.sleep(0.02)
            with pytest.raises(CallInFlightError, match="nothing was deleted"):
                agent.delete_thread("t", checkpointer=saver)
            # refused: nothing deleted, the checkpoints included
            assert saver.get_tuple(config) is not None
        finally:
            (tmp_path / "go").touch()
            out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err.decode()[-2000:]
