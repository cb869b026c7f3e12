"""A crash inside an effect that its tool resumed after asking the person is reported cut off.

An effect whose tool asks the person itself (`interrupt()`) is journaled `started`, `paused`; once the
person answers, the tool runs again from a `restarted` record. A process killed there, after the tool did
its work and before `committed` was written, leaves a start with no outcome: the effect may or may not
have happened. `EffectJournal.cut_off` (which reports "the effects begun on the thread that have no
outcome and are not under way ... cut off by a crash") said nothing of it, since it read `started` rows
alone and passes a start with a pause after it "whatever follows". So when the client sends the user's
message again instead of resuming (the README: "a client that sends a new message instead of resuming
leaves the call in a turn never replayed"), the model's new call of the same tool was not put to a person
("journal" guard): the tool ran again, and the payment was made twice.

What must hold, across a real SIGKILL: after the kill, `cut_off` reports the call; the same message sent
again is first put to a person by the "journal" guard, naming the start that was cut off, and nothing
runs again before they answer.

Fixed: cut_off reads a call by its latest start (started and restarted rows; a later pause or restart passes
the mark as an outcome does), through a partial index on restarts as on starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vfa import EffectJournal

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, signal, sys
from pathlib import Path
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command, interrupt
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

workdir, mode = Path(sys.argv[1]), sys.argv[2]
ledger = workdir / "ledger.txt"


@effect
def pay(to: str, amount: int) -> str:
    '''Pay once the person confirms.'''
    answer = interrupt({"confirm": f"pay {amount} to {to}?"})
    with ledger.open("a") as f:
        f.write(f"{to} {amount}\n")
    if mode == "answer":  # killed after the payment, before its result is journaled
        os.kill(os.getpid(), signal.SIGKILL)
    return f"paid {amount} to {to} ({answer})"


step = ("pay", {"to": "bob", "amount": 7})
with SqliteSaver.from_conn_string(str(workdir / "checkpoints.db")) as saver:
    agent = Agent(ScriptedModel([step, step, "done"]), [pay], journal=EffectJournal(workdir / "journal.db"))
    app = agent.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "t"}}
    payload = Command(resume="yes") if mode == "answer" else {"messages": [("user", "pay bob 7")]}
    out = app.invoke(payload, config)
    print(json.dumps([i.value for i in out.get("__interrupt__", [])], default=repr))
"""


def child(workdir: Path, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(workdir), mode], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def ledger(workdir: Path) -> list[str]:
    path = workdir / "ledger.txt"
    return path.read_text().splitlines() if path.exists() else []


def test_an_effect_cut_off_after_its_tool_asked_is_reported_and_put_to_a_person(tmp_path):
    first = child(tmp_path, "message")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout.splitlines()[-1]) == [{"confirm": "pay 7 to bob?"}]
    killed = child(tmp_path, "answer")
    assert killed.returncode == -9, killed.stderr
    assert ledger(tmp_path) == ["bob 7"]

    with EffectJournal(tmp_path / "journal.db") as journal:
        assert [(e.call_id, e.tool) for e in journal.cut_off("t")] == [("call_0_0", "pay")]

    again = child(tmp_path, "message")  # the client sends the message again instead of resuming
    assert again.returncode == 0, again.stderr
    (question,) = json.loads(again.stdout.splitlines()[-1])
    assert isinstance(question, dict) and question.get("guard") == "journal", question
    assert "may or may not have happened" in question["question"]
    assert question["evidence"]["lost"] == "call_0_0"
    assert ledger(tmp_path) == ["bob 7"]  # nothing ran again before the person answered
