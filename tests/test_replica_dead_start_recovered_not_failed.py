"""A replica that met another's start cut off by a crash told the model the call failed.

Two replicas take up one call at once (both read its history before either began it). Replica A writes
the write-ahead record, begins the effect and is killed inside it (SIGKILL, a real process). Replica B,
whose guards were deciding meanwhile, then reaches `EffectJournal.commit`, which finds A's start (not
under way: its process is gone) and answers `(False, "call ... is already being committed by another
run; it was not run again")`. The guard node showed that as the call's failure ("transfer failed:
..."), wrote no outcome, and the run went on: the model (and the user) read that the transfer failed
while it may have happened (here it did), and no person was asked, as the docs promise for a start a
crash cut off ("an effect that started but never recorded a result is verified again and re-run only
if declared idempotent, otherwise a person is asked").

What must hold: B never reports the call as failed on the strength of a start a crash cut off; the
call is recovered as a crash is (a person is asked whether to run it again), and the effect has run
once.

Fixed: GuardNode._commit recovers (_recover) a call whose newest start another replica wrote after this run
read it and a crash cut off.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, Allow, EffectJournal, effect
from vfa.testing import FunctionGuard, ScriptedModel

from conftest import in_another_process

REPLICA_A = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from langgraph.checkpoint.memory import InMemorySaver
    from vfa import Agent, EffectJournal, effect
    from vfa.testing import ScriptedModel

    ledger = Path(sys.argv[2])

    @effect
    def transfer(to: str, amount: int) -> str:
        \"\"\"Send money.\"\"\"
        with ledger.open("a") as f:
            f.write(f"{to} {amount}\\n")
        os.kill(os.getpid(), signal.SIGKILL)  # replica A dies inside the effect
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 7}), "done"]), [transfer],
                  journal=EffectJournal(sys.argv[1]))
    agent.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "pay bob 7")]},
                                                       {"configurable": {"thread_id": "t"}})
""")


def test_a_start_cut_off_while_this_replica_decided_is_recovered_not_reported_failed(tmp_path):
    journal_path, ledger = tmp_path / "journal.db", tmp_path / "ledger.txt"

    def replica_a_runs_meanwhile(proposal, context):
        # B's guards are deciding (its history read: nothing begun); A takes the call up and dies inside it
        if ledger.exists():  # B's guards checking again: A has been and gone
            return Allow()
        done = subprocess.run([sys.executable, "-c", REPLICA_A, str(journal_path), str(ledger)],
                              capture_output=True, text=True, timeout=120, env=dict(os.environ))
        assert done.returncode == -9, done.stderr
        return Allow()

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        with ledger.open("a") as f:
            f.write(f"{to} {amount}\n")
        return f"sent {amount} to {to}"

    with in_another_process():
        agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 7}), "done"]), [transfer],
                      journal=EffectJournal(journal_path),
                      guards=[FunctionGuard(replica_a_runs_meanwhile, name="slow", timeout_s=120)])
        app = agent.compile(checkpointer=InMemorySaver())
        cfg = {"configurable": {"thread_id": "t"}}
        out = app.invoke({"messages": [("user", "pay bob 7")]}, cfg)
        assert [m.content for m in out["messages"] if m.type == "tool"] == []
        rejected = app.invoke(Command(resume={"type": "reject"}), cfg)  # the person says it ran: not run again

    assert ledger.read_text().splitlines() == ["bob 7"]  # A's effect happened; B ran nothing
    tools = [m for m in out["messages"] if m.type == "tool"]
    assert not any("failed" in str(m.content) for m in tools), tools  # never told "failed": it happened
    (question,) = [i.value for i in out.get("__interrupt__", [])]  # a person is asked, as after any crash
    assert question["guard"] == "journal" and "may or may not have happened" in question["question"]
    (told,) = [m for m in rejected["messages"] if m.type == "tool"]
    assert told.content == "transfer was rejected by a person" and rejected["messages"][-1].content == "done"
    assert ledger.read_text().splitlines() == ["bob 7"]
    kinds = [e.kind for e in EffectJournal(journal_path).entries("t", call_id="call_0_0")]
    assert kinds.count("started") == 1 and kinds[-1] == "rejected" and "restarted" not in kinds, kinds
