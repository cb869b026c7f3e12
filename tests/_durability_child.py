"""A child process for `test_exactly_once_durability_lost_checkpoint.py`: one guarded transfer under a LangGraph durability
mode, proposed by a model that writes a fresh call id at every generation (as a real LLM does).

argv: WORKDIR MODE DURABILITY, MODE one of
  crash   run "pay bob 7" and be SIGKILLed inside the effect (after the journal's write-ahead record),
          with a checkpointer whose writes take 0.5 s (a database across a network);
  again   what a client does next: resume the thread if its checkpoint holds a step to run, else send
          the user's message again (nothing of the run was saved); print what happened as JSON.
  approve, reject
          answer the question the thread waits on so; print what happened as JSON.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import time
import uuid
from pathlib import Path

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

workdir, mode, durability = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
ledger = workdir / "ledger.txt"  # the world: one line per transfer that really happened


class SlowSaver(SqliteSaver):
    """A checkpointer whose writes take a while, as one across a network does."""

    def put(self, *args, **kwargs):
        if mode == "crash":
            time.sleep(0.5)
        return super().put(*args, **kwargs)

    def put_writes(self, *args, **kwargs):
        if mode == "crash":
            time.sleep(0.5)
        return super().put_writes(*args, **kwargs)


@effect
def transfer(to: str, amount: int) -> str:
    """Send money."""
    with ledger.open("a") as f:
        f.write(f"{to} {amount}\n")
    if mode == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    return f"sent {amount} to {to}"


def rule(messages):
    if not isinstance(messages[-1], HumanMessage):  # a transfer for each message of the user's
        return "done"
    return AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "bob", "amount": 7},
                                      "id": f"call_{uuid.uuid4().hex}"}])


saver = SlowSaver(sqlite3.connect(str(workdir / "checkpoints.db"), check_same_thread=False))
app = Agent(ScriptedModel(rule=rule), [transfer], journal=EffectJournal(workdir / "journal.db")).compile(checkpointer=saver)
config = {"configurable": {"thread_id": "crash"}}
if mode in ("approve", "reject"):
    from langgraph.types import Command

    out = app.invoke(Command(resume={"type": mode}), config, durability=durability)
elif mode == "crash" or not app.get_state(config).next:
    out = app.invoke({"messages": [("user", "pay bob 7")]}, config, durability=durability)
else:
    out = app.invoke(None, config, durability=durability)
print(json.dumps({"interrupt": [i.value.get("guard") for i in out.get("__interrupt__", [])],
                  "tools": [m.content for m in out.get("messages", []) if m.type == "tool"]}))
