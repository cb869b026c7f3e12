"""`vfa demo` on a folder whose files are damaged, unwritable, or left by a run that stopped midway.

The README promises `vfa demo` keeps its journal, checkpoints, ledger and trace in `.vfa/demo` and, run
again, "a finished thread is reported, not run again; a thread stopped at its question goes on from
there". Found (red team 130):

- a journal, checkpoint database or ledger that is not what it should be (a disk error, a file copied
  over it) ended the demo in a Python traceback (`sqlite3.DatabaseError`, `UnicodeDecodeError`,
  `JSONDecodeError`) instead of an error naming the file; an unwritable journal or trace likewise;
- a run stopped between its steps (Ctrl-C, or a journal that refused a write) left a thread that the
  next run reported as "already ran" although it had stopped before its first payment, so the demo
  could never finish it;
- a ledger that could not be saved (the payment's effect failed, journaled as failed) still had the
  balance taken off in memory, so the demo printed "balance now 200" beside "transfer failed" while
  the ledger file kept 300.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import EffectJournal

GARBAGE = bytes(range(256)) * 12  # no SQLite header, not UTF-8, not JSON


def vfa(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _ran_once(tmp_path: Path) -> Path:
    first = vfa("demo", "--dir", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    return tmp_path / "out"


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("name", ["journal.db", "checkpoints.db", "ledger.json"])
def test_a_damaged_file_is_named_in_a_clear_error_and_left_as_it_was(tmp_path, name):
    out = _ran_once(tmp_path)
    (out / name).write_bytes(GARBAGE)
    before = _contents(out)
    proc = vfa("demo", "--dir", "out", "--thread", "again", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and name in proc.stderr, (proc.returncode, proc.stderr)
    after = _contents(out)
    assert after[name] == before[name], f"{name} was changed"
    for other in ("journal.db", "checkpoints.db", "ledger.json"):
        assert after[other] == before[other], f"{other} was changed by a run that stopped on {name}"


def test_a_ledger_that_is_json_of_another_shape_is_named_in_a_clear_error(tmp_path):
    out = _ran_once(tmp_path)
    (out / "ledger.json").write_text('{"balance": "lots"}')
    proc = vfa("demo", "--dir", "out", "--thread", "again", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and "ledger.json" in proc.stderr


def _immutable(path: Path, on: bool) -> bool:
    """Make `path` unwritable even for root (`chattr +i`); False where that cannot be done."""
    if os.geteuid() != 0:
        path.chmod(0o444 if on else 0o644)
        return True
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


@pytest.mark.parametrize("name", ["journal.db", "trace.jsonl"])
def test_an_unwritable_file_is_a_clear_error_and_the_thread_goes_on_once_it_is_writable(tmp_path, name):
    out = _ran_once(tmp_path)
    (out / "ledger.json").write_text(json.dumps({"balance": 300, "payees": ["alice", "landlord"], "limit": 100}))
    if not _immutable(out / name, True):
        pytest.skip("cannot make a file unwritable here")
    try:
        proc = vfa("demo", "--dir", "out", "--thread", "two", "--yes", cwd=tmp_path)
    finally:
        _immutable(out / name, False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and name in proc.stderr, (proc.returncode, proc.stderr)
    again = vfa("demo", "--dir", "out", "--thread", "two", "--yes", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already ran" not in again.stdout, again.stdout
    assert "balance now 90" in again.stdout, again.stdout
    assert [r.args["to"] for r in EffectJournal(out / "journal.db").committed("two")] == ["landlord", "alice", "bob"]


def test_a_run_stopped_between_steps_goes_on_from_there(tmp_path):
    from vfa._demo import build_demo_agent

    workdir = tmp_path / "out"
    workdir.mkdir()
    agent, ledger = build_demo_agent(workdir)
    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        app = agent.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "demo"}}
        steps = app.stream({"messages": [("user", "pay the bills")]}, config, stream_mode="updates")
        for i, _ in enumerate(steps):  # the person presses Ctrl-C once the rent is paid
            if i == 3:
                break
        steps.close()
        assert app.get_state(config).next, "the run was meant to stop midway"
    assert ledger.balance == 200  # the rent was paid before the stop
    proc = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "already ran" not in proc.stdout, ("a thread that stopped midway is reported as finished: " + proc.stdout)
    assert "balance now 90" in proc.stdout, proc.stdout
    assert [r.args["to"] for r in EffectJournal(workdir / "journal.db").committed("demo")] == ["landlord", "alice", "bob"]


def test_a_payment_whose_ledger_cannot_be_saved_leaves_the_balance_as_the_ledger_says(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "ledger.json.partial").mkdir()  # the ledger's save cannot write its file
    proc = vfa("demo", "--dir", "out", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "transfer failed" in proc.stdout, proc.stdout
    assert "balance now 300" in proc.stdout, ("the payment failed, yet the demo says the balance changed: "
                                              + proc.stdout[proc.stdout.find("model:"):])


def test_a_closed_pipe_stops_the_demo_without_a_traceback_and_the_next_run_goes_on(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.readline()  # `vfa demo | head -1`
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert "Traceback" not in err, err
    again = vfa("demo", "--dir", "out", "--yes", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "balance now 90" in again.stdout, again.stdout
    assert [r.args["to"] for r in EffectJournal(tmp_path / "out" / "journal.db").committed("demo")] == [
        "landlord", "alice", "bob"]


def test_a_trace_file_that_is_a_folder_is_named_not_a_traceback(tmp_path):
    """A folder where the trace file should be stops the demo with an error naming it, and no payment runs."""
    (tmp_path / "out" / "trace.jsonl").mkdir(parents=True)
    proc = vfa("demo", "--dir", "out", cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and "trace.jsonl" in proc.stderr and "is a folder" in proc.stderr, proc.stderr
    assert not (tmp_path / "out" / "journal.db").exists()
