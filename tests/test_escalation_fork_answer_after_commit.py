"""An answer given on one branch of a thread to a question about a call that another branch (a fork
made with `update_state`) has already committed never changes that call's outcome: the call stays
committed, is never reported rejected, is never taken for an effect a crash cut off (the person is
not asked "may or may not have happened"), and never runs again (red team 218).

The question pending on the main branch was asked in the task of the checkpoint before the fork; the
fork asked it again in a task of its own, was approved there, and committed the payment. Resuming the
main branch's question afterwards journaled the answer into the finished call's own record, after its
`committed` entry: a reject then read as the call's outcome (the model told a made payment was
rejected), and an approval left an answer as its last entry, so the next run of the call took its
start for one cut off by a crash and asked to run it again.

Fixed: an answer first given once the call had ended in another task is journaled apart (_late), never in the
call's own record.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from vfa import ALLOW, Agent, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _app(tmp_path: Path) -> tuple[Any, list[tuple[str, int]], EffectJournal]:
    paid: list[tuple[str, int]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    @guard
    def large(p: Any, c: Any) -> Any:
        return Escalate(question=f"pay {p.args['amount']}?") if p.args.get("amount", 0) > 100 else ALLOW

    saver = SqliteSaver(sqlite3.connect(str(tmp_path / "checkpoints.db"), check_same_thread=False))
    journal = EffectJournal(tmp_path / "journal.db")
    model = ScriptedModel([("pay", {"to": "eve", "amount": 500}), "ok"])
    app = Agent(model, [pay], guards=[large], journal=journal).compile(checkpointer=saver)
    return app, paid, journal


def _fork_commits(app: Any, paid: list[tuple[str, int]]) -> Any:
    """Pause at the question, fork the paused checkpoint, approve and commit on the fork; the main
    branch's checkpoint (its question still pending) is returned."""
    out = app.invoke({"messages": [HumanMessage("pay eve 500")]}, CFG)
    assert out.get("__interrupt__")
    main = app.get_state(CFG).config
    fork = app.update_state(main, {"messages": []}, as_node="agent")  # the same turn, in a task of its own
    assert app.invoke(None, fork).get("__interrupt__")
    app.invoke(Command(resume={"type": "approve"}), fork)
    assert paid == [("eve", 500)]
    return main


def _outcome_on_a_new_fork(app: Any, main: Any) -> Any:
    out = app.invoke(None, app.update_state(main, {"messages": []}, as_node="agent"))
    return out


@pytest.mark.parametrize("answer", ["reject", "approve"])
def test_an_answer_on_the_main_branch_leaves_the_forks_commit_as_it_is(tmp_path: Path, answer: str) -> None:
    app, paid, journal = _app(tmp_path)
    main = _fork_commits(app, paid)
    out = app.invoke(Command(resume={"type": answer}), main)  # the main branch's question, answered late
    assert not out.get("__interrupt__")
    assert out["messages"][2].artifact["vfa"]["outcome"] == "committed"

    out = _outcome_on_a_new_fork(app, main)  # any later run of the call answers as it ran
    assert not out.get("__interrupt__"), out["__interrupt__"][0].value.get("question")
    assert out["messages"][2].artifact["vfa"]["outcome"] == "committed"
    assert out["messages"][2].content == "paid 500 to eve"
    assert paid == [("eve", 500)]
    own = [e.kind for e in journal.entries("t", call_id="call_0_0")]
    assert own[-1] == "committed", own  # the call's own record still ends with its outcome
