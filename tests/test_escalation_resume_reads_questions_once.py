"""Resuming a turn of many questioned calls read the thread's questions once per call.

A model may propose many calls in one turn, each asked about (`Escalate`). LangGraph resumes the
turn's task from its start, so each resume replays the calls answered before, and each replayed call
read every question and pause journaled on the thread to check the place of its answer
(`Questions._places`, one read per `Questions`): a resume of a turn of K calls decoded about K² journal
rows, and answering the whole turn K³ (100 calls: the last resume 0.35 s, 290 ms of it in these reads;
the whole turn 7.6 s).

What must hold: the rows a resume reads grow with the calls it replays, not with their square.
Measured by the journal rows handed to the node (a real SQLite journal that counts what `entries`
returns) during the last resume of a turn of n and of 4n questioned calls: linear gives about 4x, the
reads per call about 10x.

Fixed: the calls of one run of the guard node share what each task asked where (vfa._escalation.one_run).
"""

from __future__ import annotations

from _counting import CountingJournal
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, Escalate, effect
from vfa.testing import ScriptedModel, guard


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {to}"


@guard(inline=True)
def ask_each(proposal, context):
    return Escalate(question=f"pay {proposal.args['amount']} to {proposal.args['to']}?")


def _rows_read_by_last_resume(calls: int) -> int:
    journal = CountingJournal()
    turn = [("pay", {"to": f"payee{i}", "amount": i + 1}) for i in range(calls)]
    app = Agent(ScriptedModel([turn]), [pay], guards=[ask_each], journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("pay them all")]}, cfg)
    for _ in range(calls - 1):
        out = app.invoke(Command(resume={"type": "approve"}), cfg)
    assert "__interrupt__" in out
    journal.rows = 0
    out = app.invoke(Command(resume={"type": "approve"}), cfg)
    assert "__interrupt__" not in out
    assert [m.content for m in out["messages"] if m.type == "tool"] == [f"paid payee{i}" for i in range(calls)]
    return journal.rows


def test_the_last_resume_of_a_turn_reads_rows_linear_in_its_calls():
    n = 8
    short, long = _rows_read_by_last_resume(n), _rows_read_by_last_resume(4 * n)
    assert short > 0
    assert long < 6 * short, f"{n} calls: {short} rows read by the last resume; {4 * n} calls: {long} ({long / short:.1f}x)"
