"""A guarded effect node's retry after an attempt a person approved stops the run with `AnswerError`.

README: "a retry its `retry_policy` asks for is a call of its own (`<task>#attempt2`, ...), verified
again and committed once". LangGraph resets a task's interrupt counter when its `retry_policy` retries
it (`_reset_interrupt_counter`), so the retry's first `interrupt()` takes the slot of the first attempt's
first question, whose answer the task already holds. The retry (`<task>#attempt2`) is a new call whose
guard asks again: `Questions._check_place` finds the slot answered for the call `<task>` and raises
`AnswerError` ("the run, on a state changed since, now asks about ... #attempt2"), though nobody edited
the state. Resuming again (`invoke(None)` or another approval) replays the task as its first attempt,
answered from the journal as failed: `EffectNodeFailed`, for ever. So a payment a person approved and
that failed once on a flaky API (`ConnectionError`, `retry_policy=RetryPolicy(max_attempts=3,
retry_on=ConnectionError)`) is never made, and the error blames a state edit nobody made. The same
holds where only the retry asks (a guard asking at attempt 2 and again at attempt 3) and under `ainvoke`.

Expected: the retry is verified again: the person is asked about it (a question of its own, at a slot
after the first attempt's) and, approved, it is committed once; a replay of the task goes on from it.

Fixed: a retry passes over the attempts that ended uncommitted, taking the answers to their questions
where they stand (`EffectNode._attempt_id`), so its own questions come after theirs, live and replayed.

Fixed: `EffectNode._attempt_id` reads attempts from the first, passing over those that ended uncommitted and
taking their questions' answers where they stand (`Questions.replay`), so a retry's own questions get new places.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command, RetryPolicy, interrupt

import graphs
from vfa import ALLOW, Escalate, guard

CFG = {"configurable": {"thread_id": "t"}}


@guard
def confirm(p, c):
    return Escalate(guard="confirm", question=f"pay {p.args['amount']} to {p.args['to']}?")


def _guarded(pay: Any, guards: list[Any], **kw: Any) -> Any:
    """A graph whose one node `pay` retries on `ConnectionError` (three attempts), guarded by `guards`."""
    b = StateGraph(MessagesState)
    b.add_node("pay", pay, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False,
                                                      retry_on=ConnectionError))
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return graphs.guard_graph(b, guards, effect_nodes={"pay": lambda s: {"to": "landlord", "amount": 900}},
                              **{"checkpointer": InMemorySaver(), **kw})


def _app(fails: int, tried: list[int], asynchronous: bool) -> Any:
    def pay(state: MessagesState) -> dict[str, Any]:
        tried.append(1)
        if len(tried) <= fails:
            raise ConnectionError("flaky")
        return {"messages": [("ai", "paid")]}

    async def apay(state: MessagesState) -> dict[str, Any]:
        return pay(state)

    return _guarded(apay if asynchronous else pay, [confirm])


def _run(app: Any, value: Any, asynchronous: bool) -> Any:
    return asyncio.run(app.ainvoke(value, CFG)) if asynchronous else app.invoke(value, CFG)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["invoke", "ainvoke"])
@pytest.mark.parametrize("fails", [1, 2])
def test_a_retry_after_an_approved_attempt_is_asked_about_and_committed_once(fails: int, asynchronous: bool) -> None:
    tried: list[int] = []
    app = _app(fails, tried, asynchronous)
    out = _run(app, {"messages": [("user", "pay rent")]}, asynchronous)
    asked = [out["__interrupt__"][0].value["call_id"]]
    for _ in range(fails + 1):  # each attempt asked about, and approved
        out = _run(app, Command(resume="approve"), asynchronous)
        if "__interrupt__" not in out:
            break
        asked.append(out["__interrupt__"][0].value["call_id"])
    assert "__interrupt__" not in out and out["messages"][-1].content == "paid"
    assert len(tried) == fails + 1
    task = asked[0]
    assert asked == [task, *(f"{task}#attempt{n}" for n in range(2, fails + 2))]
    journal = app.nodes["pay"].bound.gate.node.journal
    ends = [(e.call_id, e.kind) for e in journal.entries("t") if e.kind in ("failed", "committed")]
    assert ends == [*((a, "failed") for a in asked[:-1]), (asked[-1], "committed")]


def test_a_retry_asked_about_goes_on_from_its_own_question_when_the_task_replays() -> None:
    """Only the retries ask: attempt 2 asks and fails, attempt 3 asks again (a slot after attempt 2's)."""
    tried: list[int] = []

    @guard
    def on_retry(p, c):
        return Escalate(guard="again", question="retry the payment?") if "#attempt" in p.call_id else ALLOW

    def pay(state: MessagesState) -> dict[str, Any]:
        tried.append(1)
        if len(tried) <= 2:
            raise ConnectionError("flaky")
        return {"messages": [("ai", "paid")]}

    app = _guarded(pay, [on_retry])
    out = app.invoke({"messages": [("user", "pay rent")]}, CFG)
    assert out["__interrupt__"][0].value["call_id"].endswith("#attempt2") and len(tried) == 1
    out = app.invoke(Command(resume="approve"), CFG)
    assert out["__interrupt__"][0].value["call_id"].endswith("#attempt3") and len(tried) == 2
    out = app.invoke(Command(resume="approve"), CFG)
    assert "__interrupt__" not in out and out["messages"][-1].content == "paid" and len(tried) == 3


def test_a_retried_node_that_asks_itself_behind_a_guard_that_asks_commits_once() -> None:
    """The node calls `interrupt()` itself after its guard's question: each attempt is asked about by the
    guard, then by the node; the retry's questions take slots after the first attempt's."""
    tried: list[str] = []

    def pay(state: MessagesState) -> dict[str, Any]:
        tried.append(interrupt("sure?"))
        if len(tried) == 1:
            raise ConnectionError("flaky")
        return {"messages": [("ai", "paid")]}

    app = _guarded(pay, [confirm])
    out = app.invoke({"messages": [("user", "pay rent")]}, CFG)
    shown = []
    while "__interrupt__" in out and len(shown) < 6:
        shown.append("node" if out["__interrupt__"][0].value == "sure?" else "guard")
        out = app.invoke(Command(resume="yes" if shown[-1] == "node" else "approve"), CFG)
    assert shown == ["guard", "node", "guard", "node"]
    assert out["messages"][-1].content == "paid" and tried == ["yes", "yes"]


def test_a_retry_cut_off_by_a_crash_after_its_approval_is_recovered_in_a_new_process(tmp_path: Any) -> None:
    """Attempt 1 approved and failed; the process dies inside attempt 2's effect, after its approval. A new
    app over the same journal file and checkpointer asks whether the cut-off payment happened, then its
    guard again, and commits attempt 2 once."""
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    tried: list[int] = []
    crash = [True]

    def pay(state: MessagesState) -> dict[str, Any]:
        tried.append(1)
        if len(tried) == 1:
            raise ConnectionError("flaky")
        if crash[0]:
            raise KeyboardInterrupt("the process dies")
        return {"messages": [("ai", "paid")]}

    def app() -> Any:
        saver = SqliteSaver(sqlite3.connect(str(tmp_path / "cp.db"), check_same_thread=False))
        return _guarded(pay, [confirm], journal=str(tmp_path / "j.db"), checkpointer=saver)

    first = app()
    out = first.invoke({"messages": [("user", "pay rent")]}, CFG)
    out = first.invoke(Command(resume="approve"), CFG)
    assert out["__interrupt__"][0].value["call_id"].endswith("#attempt2")
    with pytest.raises(KeyboardInterrupt):
        first.invoke(Command(resume="approve"), CFG)
    crash[0] = False
    second = app()
    out = second.invoke(None, CFG)
    asked = []
    while "__interrupt__" in out and len(asked) < 4:
        asked.append(out["__interrupt__"][0].value)
        out = second.invoke(Command(resume="approve"), CFG)
    assert [a["guard"] for a in asked] == ["journal", "confirm"]
    assert all(a["call_id"].endswith("#attempt2") for a in asked)
    assert out["messages"][-1].content == "paid" and len(tried) == 3
    journal = second.nodes["pay"].bound.gate.node.journal
    assert [e.call_id.endswith("#attempt2") for e in journal.entries("t") if e.kind == "committed"] == [True]
