"""A call a person rejected is committed by another process resuming its thread at once.

Two processes (two workers of one app, on one journal file and one SQLite checkpointer) resume a thread
paused at a guard's question: one with the person's approval, the other with a reject (two people
answering, or an answer changed and sent again). The approving run journals its answer and checks the
call again; the rejecting run journals `rejected` and ends the call. The approving run then commits:
`EffectJournal.commit` refuses a call that already has a `committed` or `failed` outcome only, so the
effect runs after the call was ended `rejected`, and the journal holds two outcomes for one call
(`rejected`, then `started` and `committed`). docs/kernel.md: "only one run can hold a call's write-ahead
record, so concurrent replicas cannot run an effect twice", and a reject "stands for good"; `TERMINAL`
says a rejected call is ended ("replaying the node returns what they recorded instead of acting again").

What must hold: once a call is ended (rejected or denied) in the journal, no run commits it: the
journal's commit, inside its write transaction, refuses it, and the run that lost the race answers with
the outcome recorded, nothing run.

Fixed: EffectJournal.commit reads denied and rejected in its write transaction and refuses the call; the node
answers with the recorded outcome.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from vfa import EffectJournal

CHILD = textwrap.dedent('''
    import json, sys, time
    from pathlib import Path
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.types import Command
    from vfa import Agent, EffectJournal, Escalate, effect, guard
    from vfa.testing import ScriptedModel

    workdir, mode = Path(sys.argv[1]), sys.argv[2]

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        with (workdir / "ledger.txt").open("a") as f:
            f.write(f"{to} {amount}\\n")
        return f"sent {amount} to {to}"

    @guard(timeout_s=30)
    def new_payee(p, c):
        if mode == "approve":  # checking the call again once the person answered: the other worker rejects meanwhile
            (workdir / "checking").touch()
            deadline = time.monotonic() + 20
            while not (workdir / "rejected").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return Escalate(question=f"pay {p.args['to']}?")

    with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
        agent = Agent(ScriptedModel([("transfer", {"to": "mallory", "amount": 7}), "done"]), [transfer], [new_payee],
                      journal=EffectJournal(workdir / "journal.db"))
        app = agent.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "t"}}
        if mode == "ask":
            out = app.invoke({"messages": [("user", "pay mallory 7")]}, config)
        else:
            if mode == "reject":
                deadline = time.monotonic() + 20
                while not (workdir / "checking").exists() and time.monotonic() < deadline:
                    time.sleep(0.02)
            out = app.invoke(Command(resume={"type": mode}), config)
            if mode == "reject":
                (workdir / "rejected").touch()
        print(json.dumps({"asked": len(out.get("__interrupt__", [])),
                          "tools": [m.content for m in out["messages"] if m.type == "tool"]}))
''')


def _start(script: Path, workdir: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(script), str(workdir), mode], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def _out(proc: subprocess.Popen) -> dict:
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


def test_a_call_rejected_by_one_process_is_not_committed_by_another_resuming_at_once(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    assert _out(_start(script, tmp_path, "ask"))["asked"] == 1
    approve = _start(script, tmp_path, "approve")
    reject = _start(script, tmp_path, "reject")
    approved, rejected = _out(approve), _out(reject)
    ledger = tmp_path / "ledger.txt"
    paid = ledger.read_text().splitlines() if ledger.exists() else []
    kinds = [e.kind for e in EffectJournal(tmp_path / "journal.db", read_only=True).entries("t", call_id="call_0_0")]
    assert rejected["tools"] == ["transfer was rejected by a person"]
    assert paid == [], f"the call was rejected, yet paid {paid}; journal: {kinds}"
    assert "started" not in kinds[kinds.index("rejected"):], kinds
    assert approved["tools"] == ["transfer was rejected by a person"], approved


def test_the_journal_refuses_to_commit_a_call_already_ended(tmp_path):
    """The journal's own check, under whatever read the call's history before: a call ended `rejected`
    or `denied` is never started, and its outcome is what the refusal says."""
    journal = EffectJournal(tmp_path / "journal.db")
    ran: list[str] = []
    for kind, data in (("rejected", {"type": "reject"}), ("denied", {"kind": "deny", "reason": "no"})):
        call = f"c-{kind}"
        journal.append([("t", call, "pay", kind, data)])
        started = time.monotonic()
        ok, said = journal.commit("t", call, "pay", {"to": "a"}, lambda: ran.append(call))
        assert time.monotonic() - started < 5
        assert not ok and kind in said, said
        assert [e.kind for e in journal.entries("t", call_id=call)] == [kind]
    assert ran == []


class _Racing(EffectJournal):
    """The real journal; once armed, `other_run` (another run's journal on the same file) writes right after
    this run read call_0_0's entries: the race between a run's read and its write."""

    armed = False
    other_run = None

    def entries(self, *args, **kwargs):
        out = super().entries(*args, **kwargs)
        if self.armed and kwargs.get("call_id") == "call_0_0":
            self.armed = False
            other = EffectJournal(self.path)
            self.other_run(other)
            other.close()
        return out


def _racing(tmp_path: Path, other_run) -> _Racing:
    journal = _Racing(tmp_path / "journal.db")
    journal.other_run = other_run
    return journal


def _pay_mallory_elsewhere(transfer):
    """Another run approves and commits the payment to mallory."""
    def run(other: EffectJournal) -> None:
        other.append([("t", "call_0_0", "transfer", "approved", {"type": "approve", "ask": 0})])
        other.commit("t", "call_0_0", "transfer", {"to": "mallory", "amount": 7},
                     lambda: transfer.__wrapped__(to="mallory", amount=7))
    return run


@contextlib.contextmanager
def _asked_to_pay_mallory(tmp_path: Path):
    """An agent whose guard asks whether to pay mallory 7 (the question pending, its config "t"), its journal
    armed: another run commits that payment right after this run reads the call; yields (app, journal, paid)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    from vfa import Agent, Escalate, effect, guard
    from vfa.testing import ScriptedModel

    paid: list[str] = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append(to)
        return f"sent {amount} to {to}"

    @guard
    def new_payee(p, c):
        return Escalate(question=f"pay {p.args['to']}?")

    journal = _racing(tmp_path, _pay_mallory_elsewhere(transfer))
    with SqliteSaver.from_conn_string(str(tmp_path / "checkpoints.db")) as saver:
        app = Agent(ScriptedModel([("transfer", {"to": "mallory", "amount": 7}), "done"]), [transfer], [new_payee],
                    journal=journal).compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "t"}}
        assert app.invoke({"messages": [("user", "pay mallory 7")]}, config)["__interrupt__"]
        journal.armed = True
        yield app, journal, paid


def test_a_reject_journaled_after_another_run_committed_the_call_is_refused(tmp_path):
    """The mirror race: the rejecting run read the call's history (not begun), then another run committed
    it before the reject was journaled. The reject is not appended after the commit (it would answer
    "rejected" for a call that ran): `CallInFlightError`, nothing written, and resuming later replays
    the committed outcome."""
    import pytest
    from langgraph.types import Command

    from vfa import CallInFlightError

    config = {"configurable": {"thread_id": "t"}}
    with _asked_to_pay_mallory(tmp_path) as (app, journal, paid):
        with pytest.raises(CallInFlightError, match=r"ended \(committed\) in another run"):
            app.invoke(Command(resume={"type": "reject"}), config)
        kinds = [e.kind for e in journal.entries("t", call_id="call_0_0")]
        assert paid == ["mallory"] and kinds[-1] == "committed" and "rejected" not in kinds, kinds
        again = app.invoke(Command(resume={"type": "reject"}), config)  # the outcome recorded, nothing run again
        assert paid == ["mallory"]
        assert [m.content for m in again["messages"] if m.type == "tool"] == ["sent 7 to mallory"]


def test_an_invalid_edit_after_another_run_committed_the_call_replays_the_commit(tmp_path):
    """The same race ended by a person's edit the tool's schema refuses: the call is not journaled
    `rejected` after another run's commit of it (two outcomes); the answer is the committed one."""
    from langgraph.types import Command

    config = {"configurable": {"thread_id": "t"}}
    with _asked_to_pay_mallory(tmp_path) as (app, journal, paid):
        out = app.invoke(Command(resume={"type": "edit", "args": {"to": "mallory", "amount": "seven"}}), config)
        kinds = [e.kind for e in journal.entries("t", call_id="call_0_0")]
        assert paid == ["mallory"] and "rejected" not in kinds[kinds.index("committed"):], kinds
        assert [m.content for m in out["messages"] if m.type == "tool"] == ["sent 7 to mallory"]


def test_a_read_approved_here_after_another_run_rejected_it_answers_the_reject(tmp_path):
    """A read-only tool a person approved in this run while another run's person rejected it since this
    run read the call: its result is not journaled beside the reject (two outcomes) nor shown to the
    model; the call answers as rejected."""
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.types import Command

    from vfa import Agent, Escalate, guard
    from vfa.testing import ScriptedModel

    def read_diary(day: str) -> str:
        """Read one day of the diary."""
        return f"dear diary, on {day} I buried the gold"

    @guard
    def ask_first(p, c):
        return Escalate(question=f"read {p.args['day']}?")

    journal = _racing(tmp_path, lambda other: other.append(
        [("t", "call_0_0", "read_diary", "rejected", {"type": "reject", "ask": 0})]))  # the other run's person rejects it
    with SqliteSaver.from_conn_string(str(tmp_path / "checkpoints.db")) as saver:
        app = Agent(ScriptedModel([("read_diary", {"day": "monday"}), "done"]), [read_diary], [ask_first],
                    journal=journal).compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "t"}}
        assert app.invoke({"messages": [("user", "read monday")]}, config)["__interrupt__"]
        journal.armed = True
        out = app.invoke(Command(resume={"type": "approve"}), config)
        kinds = [e.kind for e in journal.entries("t", call_id="call_0_0")]
        assert "rejected" in kinds and "ran" not in kinds, kinds
        shown = [m for m in out["messages"] if m.type == "tool"]
        assert len(shown) == 1 and "gold" not in str(shown[0].content) and shown[0].status == "error", shown
