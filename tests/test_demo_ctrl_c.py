"""Ctrl-C stops `vfa demo` between its steps, or at its question, with a line saying how to go on.

The README names Ctrl-C as a way a demo thread stops "between its steps" and goes on
from there. But the demo let the KeyboardInterrupt land wherever the run was: a Python traceback at
the question's prompt or out of LangGraph's stream; one landing while LangGraph's executor started its
worker thread left that thread unjoinable, and the process hung at exit until it was killed (seen:
`threading._shutdown` waiting on `ThreadPoolExecutor-3_0`, the interrupt raised in
`_adjust_thread_count` -> `Thread.start`); one run of a sweep of signal times ended in a segmentation
fault. A Ctrl-C during the run now asks the run to stop after the step it is in; at the prompt it
stops at once (nothing is running); either way the command says so, exits 130 (as a shell reports
an interrupted command), and the next run goes on.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from vfa import EffectJournal

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty") or sys.platform == "win32", reason="POSIX signals, pty")


def _read_until(stream, token: str, limit_s: float = 60) -> str:
    seen = ""
    end = time.monotonic() + limit_s
    while token not in seen and time.monotonic() < end:
        ready, _, _ = select.select([stream], [], [], 0.5)
        if ready:
            chunk = os.read(stream.fileno(), 65536).decode()
            if not chunk:
                break
            seen += chunk
    return seen


def _goes_on(tmp_path) -> None:
    again = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "already ran" not in again.stdout and "balance now 90" in again.stdout, again.stdout
    assert [r.args["to"] for r in EffectJournal(tmp_path / "out" / "journal.db").committed("demo")] == [
        "landlord", "alice", "bob"]
    assert json.loads((tmp_path / "out" / "ledger.json").read_text())["balance"] == 90


def test_ctrl_c_at_the_question_stops_without_a_traceback_and_the_question_waits(tmp_path):
    leader, follower = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "vfa", "demo", "--dir", "out"], cwd=tmp_path, stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(follower)
    try:
        shown = _read_until(proc.stdout, "approve / reject?")
        assert "approve / reject?" in shown, shown
        time.sleep(0.3)  # in its read of the terminal
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    err = err.decode()
    assert "Traceback" not in err, err
    assert proc.returncode == 130 and "run the same command again" in err, (proc.returncode, err)
    _goes_on(tmp_path)


def test_ctrl_c_during_the_run_stops_it_between_steps_without_a_traceback(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        shown = _read_until(proc.stdout, 'committed transfer -> "sent 100 to landlord')
        assert "sent 100 to landlord" in shown, shown
        proc.send_signal(signal.SIGINT)  # the person presses Ctrl-C once the rent is paid
        out, err = proc.communicate(timeout=60)  # a hang at exit is a failure here, not a stuck test
    finally:
        if proc.poll() is None:
            proc.kill()
    err = err.decode()
    assert "Traceback" not in err, err
    if proc.returncode == 0:  # the run's last step was done before the signal landed: it finished
        assert "balance now 90" in out.decode(), out
        return
    assert proc.returncode == 130 and "run the same command again" in err, (proc.returncode, err)
    _goes_on(tmp_path)
