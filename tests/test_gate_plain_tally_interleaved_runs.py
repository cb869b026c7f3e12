"""A run's identical plain calls are each committed, however other runs interleave with it.

What must hold (README, "Invoked with plain arguments"): a gated tool's plain call made in a graph task is keyed
by the task, its tool and arguments "and its place among the task run's calls of them", so a task paying twice
on purpose pays twice, and a task run again is answered from the journal, once per call.

`graphs._gate._PLAIN` (a `vfa._run_tally.RunTally`) keeps one slot per task id, for the last run that counted
in it, and an LRU bound of 4,096 tasks. So the count of a run still going is lost, and its next identical call
is given the id of its first (answered from the journal: the payment silently not made), when
- another run of the same task counts in between: two resumes of one thread after an interrupt (a person's
  approval sent twice, a double click) run the same task, under the same id, from the same checkpoint;
- more tasks than the bound make plain calls while it runs (a server's other conversations); the bound is
  shrunk here to keep the test fast.

Fixed: RunTally keeps a run's counts by its mark, weakly, while the run lives (no bound, no other run can
evict them); a run with no mark keeps the bounded per-task table.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

import graphs
from graphs import _gate
from vfa import EffectJournal
from vfa._run_tally import RunTally

WHO: contextvars.ContextVar[str] = contextvars.ContextVar("WHO", default="")


class S(TypedDict, total=False):
    who: str
    done: str


def _app(between: Any) -> tuple[Any, list[tuple[str, int]]]:
    """A node paying `who` 5, twice on purpose (two instalments): `between(place, state)` runs first (place -1),
    before each payment (0, 1) and after them (2)."""
    paid: list[tuple[str, int]] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    gate = graphs.ToolGate([], journal=EffectJournal())
    gpay = graphs.guard_tool(pay, gate=gate)

    def settle(state: S) -> dict[str, Any]:
        between(-1, state)
        for place in (0, 1):
            between(place, state)
            gpay.invoke({"to": state["who"], "amount": 5})
        between(2, state)
        return {"done": "ok"}

    b = StateGraph(S)
    b.add_node("settle", settle)
    b.add_edge(START, "settle")
    b.add_edge("settle", END)
    return graphs.guard_graph(b, gate=gate, checkpointer=InMemorySaver()), paid


def test_two_resumes_of_one_thread_interleaved_pay_each_instalment_once() -> None:
    """Two resumes of one thread (the approval sent twice) run the same task: its two calls are paid once each."""
    order = ["A0", "B0", "A1", "B1"]
    turn = threading.Condition()

    def between(place: int, state: S) -> None:
        if place < 0:
            interrupt("confirm?")
            return
        with turn:  # each run's call waits for its place in A0, B0, A1, B1: the one before it has returned
            if place > 0:
                order.remove(f"{WHO.get()}{place - 1}")
                turn.notify_all()
            if place < 2:
                assert turn.wait_for(lambda: order[0] == f"{WHO.get()}{place}", timeout=10), f"stuck at {order}"

    app, paid = _app(between)
    cfg = {"configurable": {"thread_id": "t"}}
    assert "__interrupt__" in app.invoke({"who": "bob"}, cfg)
    errors: list[BaseException] = []

    def resume(name: str) -> None:
        WHO.set(name)
        try:
            app.invoke(Command(resume="yes"), cfg)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    runs = [threading.Thread(target=resume, args=(n,)) for n in "AB"]
    for r in runs:
        r.start()
    for r in runs:
        r.join(30)
    assert not errors, errors
    assert paid == [("bob", 5), ("bob", 5)], f"each instalment once: {paid}"


def test_instalments_of_a_long_task_paid_while_other_conversations_run(monkeypatch: Any) -> None:
    """A task still running when more tasks than the table holds made plain calls: its second instalment is paid."""
    monkeypatch.setattr(_gate, "_PLAIN", RunTally(size=16))  # 4,096 in production
    first_done, go_on = threading.Event(), threading.Event()

    def between(place: int, state: S) -> None:
        if place == 1 and state["who"] == "bob":
            first_done.set()
            assert go_on.wait(10)

    app, paid = _app(between)
    out: list[Any] = []
    long_run = threading.Thread(target=lambda: out.append(app.invoke({"who": "bob"}, {"configurable": {"thread_id": "long"}})))
    long_run.start()
    assert first_done.wait(10)
    n = 20
    app.batch([{"who": f"u{i}"} for i in range(n)], [{"configurable": {"thread_id": f"t{i}"}} for i in range(n)])
    go_on.set()
    long_run.join(10)
    assert out and out[0]["done"] == "ok"
    assert paid.count(("bob", 5)) == 2, f"bob's two instalments: {paid.count(('bob', 5))}"


def test_finished_runs_leave_no_count() -> None:
    """The counts go with their runs: fifty conversations served, the table holds none of them."""
    import gc

    app, paid = _app(lambda place, state: None)
    n = 50
    app.batch([{"who": f"u{i}"} for i in range(n)], [{"configurable": {"thread_id": f"g{i}"}} for i in range(n)])
    gc.collect()
    assert len(paid) == 2 * n
    assert len(_gate._PLAIN._runs) == 0, f"{len(_gate._PLAIN._runs)} finished runs still counted"
