"""Red team 80: a run that ended without an outcome in a process that lives on blocks every other
replica for as long as that process lives.

In-flight detection (`vfa/_owners.py`) reads a write-ahead record as "under way" when its run is in
this process and still holds the call, or, for a record of another process, whenever that process
is alive. The two disagree for a run that left the effect without an outcome while its process goes
on: a tool that raised a `BaseException` that is no `Exception` (a `KeyboardInterrupt` in a notebook
kernel or a worker, a `SystemExit` a library raised, a custom BaseException), which
`EffectJournal.commit` lets through after releasing its `Running` hold. In that process the start
now reads as a crash (`test_a_start_whose_run_ended_without_an_outcome_in_this_process_reads_as_crashed`),
and the call can be recovered there. But every other replica (another worker process of the same
server on the same host, sharing the WAL journal) reads the same record as under way for as long as
the first process lives: resuming the thread raises `CallInFlightError` every time, the journal
refuses to `end` or restart the call, and the thread can never go on anywhere but in that one
process (for a long-lived server, never in practice). The README says "a start whose process has
exited (or, in this process, whose run has ended without an outcome) is a crash"; another replica
cannot tell that the run has ended, and nothing tells it.

Root cause: `vfa/_owners.py` `alive` judges a record of another process by the process alone (pid and
start time), and `vfa/_journal.py` `EffectJournal.commit` releases its in-process hold on a
BaseException without writing anything other processes can read (the run's end is known only in
this process's `_UNDER_WAY`).

Fixed: `EffectJournal.commit` marks a start it leaves without an outcome `abandoned` (best
effort: the journal may be what failed), and `running` reads a start so marked as a crash in every process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from vfa import EffectJournal

CHILD = textwrap.dedent("""
    import sys
    from vfa import EffectJournal

    class Abort(BaseException):
        pass

    def run():
        raise Abort("the operator stopped this run; the process goes on serving")

    j = EffectJournal(sys.argv[1])
    try:
        j.commit('t', 'c1', 'pay', {'to': 'a'}, run)
    except Abort:
        pass
    (start,) = [e for e in j.entries('t') if e.kind == 'started']
    print('ended', j.running(start), flush=True)  # in this process: a crash
    sys.stdin.readline()  # the process lives on (a server worker, a notebook kernel)
""")


def test_a_run_that_ended_without_an_outcome_in_a_live_process_reads_as_crashed_elsewhere_too(tmp_path):
    path = tmp_path / "journal.db"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert child.stdout.readline().strip() == "ended False"  # its own process reads it as a crash
        journal = EffectJournal(path)  # another replica on the same host
        (start,) = [e for e in journal.entries("t") if e.kind == "started"]
        assert start.data["owner"]["pid"] == child.pid
        # the run is over (no code of it is running anywhere): it must read as a crash here as well
        assert not journal.running(start), (
            "another replica reads a run that has ended as under way for as long as its process lives")
        assert journal.end("t", "c1", [("t", "c1", "pay", "failed", {"error": "crashed"})]) is None
    finally:
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait(timeout=60)


def test_a_run_cut_off_after_its_outcome_was_written_is_not_marked_abandoned(tmp_path):
    class Cut(BaseException):
        pass

    class DiesAfterCommitted(EffectJournal):
        def append(self, entries):
            super().append(entries)
            if any(e[3] == "committed" for e in entries):
                raise Cut  # the process is stopped right after the outcome is durable

    journal = DiesAfterCommitted(tmp_path / "journal.db")
    try:
        journal.commit("t", "c1", "pay", {"to": "a"}, lambda: "paid")
    except Cut:
        pass
    assert [e.kind for e in journal.entries("t")] == ["started", "committed"]
