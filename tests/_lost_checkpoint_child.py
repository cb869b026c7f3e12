"""A child process for the lost-checkpoint crash tests (`test_exactly_once_*lost*.py`): guarded transfers
under a LangGraph durability mode, proposed by a model that writes a fresh call id at every generation
(as a real LLM does).

argv: WORKDIR MODE DURABILITY [CALLS], MODE one of
  after   run "pay" and be SIGKILLed once the transfers committed (in the model's next step), with a
          checkpointer whose writes take 0.5 s;
  crash   run "pay" and be SIGKILLed inside the effect of the transfer to $KILL_ON (default: the last);
  again   resume the thread if its checkpoint holds a step to run, else send the user's message again;
  new     send the user's message again (a chat client that does not resume);
  approve, reject
          answer the question the thread waits on so.
CALLS: the recipients of one turn's transfers, comma-separated (default "bob").
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

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

workdir, mode, durability = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
to_pay = (sys.argv[4] if len(sys.argv) > 4 else "bob").split(",")
ledger = workdir / "ledger.txt"


class SlowSaver(SqliteSaver):
    def put(self, *args, **kwargs):
        if mode in ("crash", "after"):
            time.sleep(0.5)
        return super().put(*args, **kwargs)

    def put_writes(self, *args, **kwargs):
        if mode in ("crash", "after"):
            time.sleep(0.5)
        return super().put_writes(*args, **kwargs)


@effect
def transfer(to: str, amount: int) -> str:
    """Send money."""
    with ledger.open("a") as f:
        f.write(f"{to} {amount}\n")
    if mode == "crash" and to == os.environ.get("KILL_ON", to_pay[-1]):
        os.kill(os.getpid(), signal.SIGKILL)
    return f"sent {amount} to {to}"


def rule(messages):
    if isinstance(messages[-1], ToolMessage) and mode == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    if not isinstance(messages[-1], HumanMessage):
        return "done"
    return AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": to, "amount": 7},
                                      "id": f"call_{uuid.uuid4().hex}"} for to in to_pay])


saver = SlowSaver(sqlite3.connect(str(workdir / "checkpoints.db"), check_same_thread=False))
app = Agent(ScriptedModel(rule=rule), [transfer], journal=EffectJournal(workdir / "journal.db")).compile(checkpointer=saver)
config = {"configurable": {"thread_id": "crash"}}
if mode in ("approve", "reject"):
    from langgraph.types import Command

    out = app.invoke(Command(resume={"type": mode}), config, durability=durability)
elif mode in ("crash", "after", "new") or not app.get_state(config).next:
    out = app.invoke({"messages": [("user", "pay")]}, config, durability=durability)
else:
    out = app.invoke(None, config, durability=durability)
print(json.dumps({"interrupt": [i.value.get("guard") for i in out.get("__interrupt__", [])],
                  "tools": [m.content for m in out.get("messages", []) if m.type == "tool"]}))
