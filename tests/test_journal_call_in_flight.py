"""Red team 78: a call another replica is running was read as one a crash cut off.

Replica B, resuming a thread while replica A was inside the effect (both on one SQLite journal file),
recovered A's open `restarted` record "after a crash": it journaled the call `failed` and told the model
it was interrupted by a crash, and then A's `committed` landed after it: two outcomes for one call, and
B's answer false. A start record now names its run (host, process, start time), and a run still alive is
not a crash: B is refused with `CallInFlightError`, nothing written, and answers from A's outcome once it
has finished. A run that really died (its process gone, or in this process no longer holding the call)
is still recovered as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

from vfa import Agent, CallInFlightError, EffectJournal, JournalError, effect
from vfa._owners import owner
from vfa.testing import ScriptedModel

from conftest import in_another_process


def test_a_call_under_way_in_another_replica_is_refused_not_ended_as_crashed(tmp_path):
    paid: list = []
    inside, release = threading.Event(), threading.Event()

    @effect
    def confirm_and_pay(to: str) -> str:
        """Ask the person for the amount, then pay."""
        amount = interrupt({"ask": f"how much for {to}?"})
        inside.set()
        release.wait(timeout=10)  # replica A is in the middle of the effect
        paid.append((to, amount))
        return f"paid {amount}"

    path = str(tmp_path / "journal.db")
    saver = InMemorySaver()

    def replica() -> Agent:
        return Agent(ScriptedModel([("confirm_and_pay", {"to": "alice"}), "done"]), [confirm_and_pay], journal=EffectJournal(path))

    agents = [replica()]
    with in_another_process():  # replica B: thread locks of its own
        agents.append(replica())
    apps = [a.compile(checkpointer=saver) for a in agents]
    cfg = {"configurable": {"thread_id": "t1"}}
    apps[0].invoke({"messages": [("user", "pay alice")]}, cfg)

    out_a: dict = {}
    a = threading.Thread(target=lambda: out_a.update(apps[0].invoke(Command(resume=3), cfg)))
    a.start()
    try:
        assert inside.wait(timeout=10)
        before = len(EffectJournal(path).entries("t1"))
        with pytest.raises(CallInFlightError, match="call 'call_0_0' of 'confirm_and_pay' on thread 't1' is being run"):
            apps[1].invoke(Command(resume=3), cfg)  # replica B, while A runs the effect
        assert len(EffectJournal(path).entries("t1")) == before  # nothing written
    finally:
        release.set()
        a.join()

    assert paid == [("alice", 3)] and out_a["messages"][-1].content == "done"
    outcomes = [e.kind for e in EffectJournal(path).entries("t1", call_id="call_0_0") if e.kind in ("committed", "failed")]
    assert outcomes == ["committed"]
    assert issubclass(CallInFlightError, JournalError)


def test_the_journal_refuses_to_end_a_call_whose_run_is_alive(tmp_path):
    """The journal's own check, under whatever reads the history: `end` will not write an outcome
    beside a start whose run is alive, and `commit(restart=...)` will not start it again."""
    journal = EffectJournal(tmp_path / "journal.db")
    inside, release = threading.Event(), threading.Event()

    def run():
        inside.set()
        release.wait(timeout=10)
        return "done"

    t = threading.Thread(target=lambda: journal.commit("t", "c1", "pay", {"to": "a"}, run))
    t.start()
    try:
        assert inside.wait(timeout=10)
        (start,) = [e for e in journal.entries("t") if e.kind == "started"]
        assert journal.running(start)
        other = EffectJournal(tmp_path / "journal.db")  # another connection of this process
        assert other.running(start)
        with pytest.raises(CallInFlightError):
            other.end("t", "c1", [("t", "c1", "pay", "failed", {"error": "crashed?"})])
        with pytest.raises(CallInFlightError):
            other.commit("t", "c1", "pay", {"to": "a"}, lambda: "again", restart=start.seq)
    finally:
        release.set()
        t.join()
    assert [e.kind for e in journal.entries("t")] == ["started", "committed"]
    assert not journal.running(start)  # ended: nothing holds it


def test_a_start_whose_run_ended_without_an_outcome_in_this_process_reads_as_crashed(tmp_path):
    journal = EffectJournal(tmp_path / "journal.db")

    def dies():
        raise SystemExit("the process died during the effect")

    with pytest.raises(SystemExit):
        journal.commit("t", "c1", "pay", {"to": "a"}, dies)
    (start,) = [e for e in journal.entries("t") if e.kind == "started"]
    assert not journal.running(start)
    assert journal.end("t", "c1", [("t", "c1", "pay", "failed", {"error": "crashed"})]) is None


def test_a_start_written_by_a_process_that_exited_reads_as_crashed(tmp_path):
    path = tmp_path / "journal.db"
    code = ("import sys, os; from vfa import EffectJournal\n"
            "j = EffectJournal(sys.argv[1])\n"
            "j.commit('t', 'c1', 'pay', {'to': 'a'}, lambda: os._exit(0))\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr
    journal = EffectJournal(path)
    (start,) = [e for e in journal.entries("t") if e.kind == "started"]
    assert start.data["owner"]["pid"] != os.getpid()
    assert not journal.running(start)


def test_a_start_of_a_live_process_reads_as_under_way(tmp_path):
    path = tmp_path / "journal.db"
    code = ("import sys, time; from vfa import EffectJournal\n"
            "j = EffectJournal(sys.argv[1])\n"
            "j.commit('t', 'c1', 'pay', {'to': 'a'}, lambda: (print('inside', flush=True), time.sleep(60)))\n")
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert child.stdout.readline().strip() == "inside"
        journal = EffectJournal(path)
        (start,) = [e for e in journal.entries("t") if e.kind == "started"]
        assert start.data["owner"]["pid"] == child.pid and journal.running(start)
        with pytest.raises(CallInFlightError, match=f"process {child.pid}"):
            journal.end("t", "c1", [("t", "c1", "pay", "failed", {"error": "crashed?"})])
    finally:
        child.kill()
        child.wait()
    assert not journal.running(start)  # killed (and reaped): a crash now


def test_a_start_that_names_no_run_or_another_host_reads_as_crashed(tmp_path):
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c1", "pay", "started", {"args": {}}),
                    ("t", "c2", "pay", "started", {"args": {}, "owner": {"host": "elsewhere", "pid": os.getpid()}}),
                    ("t", "c3", "pay", "started", {"args": {}, "owner": "hostile"}),
                    ("t", "c4", "pay", "started", {"args": {}, "owner": {**owner(), "pid": 0}}),
                    ("t", "c5", "pay", "started", {"args": {}, "owner": {**owner(), "pid": -1}}),
                    ("t", "c6", "pay", "started", {"args": {}, "owner": {**owner(), "pid": True}})])
    assert not any(journal.running(e) for e in journal.entries("t"))


def test_a_start_of_another_boot_or_pid_namespace_reads_as_crashed(tmp_path):
    me = owner()
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c1", "pay", "started", {"args": {}, "owner": {**me, "boot": "an-earlier-boot"}}),
                    ("t", "c2", "pay", "started", {"args": {}, "owner": {**me, "ns": -1}})])
    assert not any(journal.running(e) for e in journal.entries("t"))


def test_one_file_opened_by_two_paths_is_one_journal_for_calls_under_way(tmp_path):
    (tmp_path / "data").mkdir()
    os.symlink(tmp_path / "data", tmp_path / "link")
    journal = EffectJournal(tmp_path / "data" / "journal.db")
    inside, release = threading.Event(), threading.Event()

    def run():
        inside.set()
        release.wait(timeout=10)
        return "done"

    t = threading.Thread(target=lambda: journal.commit("t", "c1", "pay", {}, run))
    t.start()
    try:
        assert inside.wait(timeout=10)
        other = EffectJournal(tmp_path / "link" / "journal.db")  # a bind mount reads alike
        (start,) = [e for e in other.entries("t") if e.kind == "started"]
        assert other.running(start)
    finally:
        release.set()
        t.join()
