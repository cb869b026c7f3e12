"""`vfa demo` goes on with a thread stopped after a step's writes were saved, before its next checkpoint.

The README: run again, "a finished thread is reported, not run again; a thread stopped ...
between its steps (Ctrl-C, a closed pipe, a file it could not write), goes on from there". LangGraph
saves a step's writes as the step's tasks finish and the next checkpoint after the step; a run that
stops in between (killed, a power cut, a write of the checkpoint that failed) leaves a thread whose
`get_state` applies the saved writes and shows no `next` node: the demo took "messages, no `next`, no
question" for finished, reported "the demo already ran", and never finished the thread (the rent paid,
alice and bob never). The same window made a second `vfa demo` started while the first ran report the
running thread as finished, with the balance of a run half done. A finished thread has no task left
(`state.tasks` empty); this one has the step whose writes were saved.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import EffectJournal
from vfa._demo import build_demo_agent


def test_a_thread_stopped_before_the_checkpoint_after_its_step_goes_on(tmp_path):
    workdir = tmp_path / "out"
    workdir.mkdir()
    agent, _ = build_demo_agent(workdir)
    config = {"configurable": {"thread_id": "demo"}}
    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        app = agent.compile(checkpointer=saver)
        steps = app.stream({"messages": [("user", "Pay the rent (100) and alice for dinner (80), then bob 10 for "
                                          "coffee.")]}, config, stream_mode="updates")
        for i, _ in enumerate(steps):
            if i == 3:  # the rent is paid (the tools step's writes are saved)
                break
        steps.close()
    # the process dies before the checkpoint after that step is written: it is not in the file
    db = sqlite3.connect(workdir / "checkpoints.db")
    (last,) = db.execute("SELECT checkpoint_id FROM checkpoints WHERE thread_id = 'demo' "
                         "ORDER BY checkpoint_id DESC LIMIT 1").fetchone()
    db.execute("DELETE FROM writes WHERE checkpoint_id = ?", (last,))
    db.execute("DELETE FROM checkpoints WHERE checkpoint_id = ?", (last,))
    db.commit()
    db.close()
    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        state = agent.compile(checkpointer=saver).get_state(config)
    assert not state.next and state.tasks, "the thread was meant to stop after its step's writes were saved"

    proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "already ran" not in proc.stdout, "a thread that stopped midway is reported as finished: " + proc.stdout
    assert "balance now 90" in proc.stdout, proc.stdout
    assert [r.args["to"] for r in EffectJournal(workdir / "journal.db").committed("demo")] == [
        "landlord", "alice", "bob"]
