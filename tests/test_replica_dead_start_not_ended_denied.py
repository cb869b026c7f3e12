"""A replica whose guards denied a call journaled it `denied` beside another replica's
start that a crash cut off, and told the model it was denied, though its effect had begun (here, run).

Replica B reads the call's history (nothing begun) and its guards decide; meanwhile replica A, whose
guards allowed the call, writes its write-ahead record, begins the effect and is killed inside it (a
real process, SIGKILL). B's guards then deny, and `EffectJournal.end` writes B's `denied` after A's
start (that run is gone, so nothing refuses it): the call's record reads as never run, and the model
reads "denied" for a transfer that happened. A start a crash cut off is recovered, and when the guards
then deny, `_recover` ends it `failed`, "interrupted by a crash and not run again", never `denied`.

What must hold: a call whose effect began is never journaled or shown as denied.

Fixed: EffectJournal.end(begun_after=) hands back such a start, nothing written; _rounds recovers it instead
of journaling a denial.
"""

from __future__ import annotations

import os
import subprocess
import sys

from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, Deny, EffectJournal, effect
from vfa.testing import FunctionGuard, ScriptedModel

from conftest import in_another_process
from test_replica_dead_start_recovered_not_failed import REPLICA_A


def test_a_start_cut_off_while_this_replica_denied_the_call_is_not_journaled_denied(tmp_path):
    journal_path, ledger = tmp_path / "journal.db", tmp_path / "ledger.txt"

    def replica_a_runs_meanwhile(proposal, context):
        if not ledger.exists():  # B's guards are deciding; A takes the call up and dies inside it
            done = subprocess.run([sys.executable, "-c", REPLICA_A, str(journal_path), str(ledger)],
                                  capture_output=True, text=True, timeout=120, env=dict(os.environ))
            assert done.returncode == -9, done.stderr
        return Deny(reason="over today's limit")

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        with ledger.open("a") as f:
            f.write(f"{to} {amount}\n")
        return f"sent {amount} to {to}"

    with in_another_process():
        agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 7}), "done"]), [transfer],
                      journal=EffectJournal(journal_path),
                      guards=[FunctionGuard(replica_a_runs_meanwhile, name="limit", timeout_s=120)])
        out = agent.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "pay bob 7")]},
                                                                 {"configurable": {"thread_id": "t"}})

    assert ledger.read_text().splitlines() == ["bob 7"]  # A's effect happened
    kinds = [e.kind for e in EffectJournal(journal_path).entries("t", call_id="call_0_0")]
    assert "started" in kinds and "denied" not in kinds, kinds
    (told,) = [m for m in out["messages"] if m.type == "tool"]
    assert "interrupted by a crash and not run again: over today's limit" in told.content, told.content
    assert kinds[-1] == "failed"  # as `_recover` ends a start a crash cut off that its guards now deny
