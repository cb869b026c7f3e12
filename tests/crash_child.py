"""A child process for the crash tests: runs one guarded transfer and dies where it is told to.

argv: WORKDIR MODE, MODE one of
  after-commit   killed after the journal recorded the result, before LangGraph's checkpoint;
  mid-effect     killed inside the effect, after the write-ahead record;
  resume         no crash: resume the thread and print what happened;
  approve        resume an escalation with approve.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

workdir, mode = Path(sys.argv[1]), sys.argv[2]
ledger = workdir / "ledger.txt"  # the world: one line per transfer that really happened
idempotent = os.environ.get("IDEMPOTENT") == "1"


class CrashingJournal(EffectJournal):
    def _record_result(self, thread_id, call_id, tool, result):
        out = super()._record_result(thread_id, call_id, tool, result)
        if mode == "after-commit":
            os.kill(os.getpid(), signal.SIGKILL)
        return out


@effect(idempotent=idempotent)
def transfer(to: str, amount: int) -> str:
    """Send money."""
    with ledger.open("a") as f:
        f.write(f"{to} {amount}\n")
    if mode == "mid-effect":
        os.kill(os.getpid(), signal.SIGKILL)
    return f"sent {amount} to {to}"


with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 7}), "done"]), [transfer],
                  journal=CrashingJournal(workdir / "journal.db"))
    app = agent.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "crash"}}
    if mode in ("after-commit", "mid-effect"):
        app.invoke({"messages": [("user", "pay bob 7")]}, config)
    else:
        out = app.invoke(Command(resume={"type": "approve"}) if mode == "approve" else None, config)
        print(json.dumps({
            "interrupt": [i.value for i in out.get("__interrupt__", [])],
            "last": out["messages"][-1].content,
            "tools": [m.content for m in out["messages"] if m.type == "tool"],
        }))
