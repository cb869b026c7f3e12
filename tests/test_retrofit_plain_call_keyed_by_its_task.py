"""A gated tool invoked with plain arguments from a task (or a node) that runs again pays again.

Scenario. The coverage check's fix for a node or a functional-API `@task` that calls a tool itself is
`graphs.guard_tool(tool, gate=...)`; its `invoke` takes plain arguments as well as a tool call
(README, "Guard an app you already have"). Invoked with plain arguments, each invocation gets a fresh
random call id (`GatedTool._split`: `vfa-{uuid4}`). LangGraph runs a task again from its start when it
resumes it: after an `interrupt()` later in the task (a confirmation), after a crash or an error later in
the task (`invoke(None, config)` resumes the thread), and after the gate's own question. So:

- `gpay.invoke({"to": "bob", "amount": 50})` then `interrupt("confirm?")` in one task: on resume the
  payment is proposed again under a new id, verified again and committed again: bob is paid twice;
- the same with the task failing after the payment, then resumed: paid twice;
- a guard that asks (`Escalate`) about a plain call: on resume the call has a new id, so the answer
  lands on "another call's question" and the run raises `AnswerError` ("the run, on a state changed
  since, ..."), though nobody changed the state: the call can never be approved.

Why it matters: the README promises exactly-once ("When LangGraph replays a node after an interrupt or a
crash, a committed effect returns its recorded result") and a question a person can answer; both hold for
the model's calls (their id is the model's) and fail for the mediated way the coverage check recommends
for code of the app's own. Expected: a plain call made in a graph task is keyed by that task (its id,
stable across its runs, and the call's place among the task's plain calls), so a run again is answered
from the journal and a question can be answered.

Fixed: a plain call made in a graph task gets its id from the task's id and its arguments (and its
ordinal among the task run's calls of those arguments); outside any task it keeps a fresh id.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

import graphs
from vfa import ALLOW, Escalate, guard

CFG = {"configurable": {"thread_id": "t1"}}


def _pay() -> tuple[Any, list[tuple[str, int]]]:
    paid: list[tuple[str, int]] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    return pay, paid


@guard
def ask_over_100(p, c):
    return Escalate(question="pay over 100?") if p.args.get("amount", 0) > 100 else ALLOW


def test_plain_call_in_a_task_paid_once_when_the_task_resumes_after_an_interrupt() -> None:
    """Expected: the confirmation's resume runs the task again, and the payment is answered from the journal."""
    pay, paid = _pay()
    gpay = graphs.guard_tool(pay, gate=graphs.ToolGate([]))

    @task
    def settle(amount: int) -> str:
        out = gpay.invoke({"to": "bob", "amount": amount})
        ok = interrupt("confirm the receipt?")
        return f"{out} ({ok})"

    @entrypoint(checkpointer=InMemorySaver())
    def workflow(amount: int) -> str:
        return settle(amount).result()

    workflow.invoke(50, CFG)
    assert workflow.invoke(Command(resume="yes"), CFG) == "paid 50 to bob (yes)"
    assert paid == [("bob", 50)], f"bob was paid once per run of the task: {paid}"


def test_plain_call_in_a_task_paid_once_when_the_thread_resumes_after_a_failure() -> None:
    """Expected: the task, failing after the payment and resumed (`invoke(None)`), is answered from the journal."""
    pay, paid = _pay()
    gpay = graphs.guard_tool(pay, gate=graphs.ToolGate([]))
    fail = [True]

    @task
    def settle(amount: int) -> str:
        out = gpay.invoke({"to": "bob", "amount": amount})
        if fail and fail.pop():
            raise ConnectionError("receipt service down")
        return out

    @entrypoint(checkpointer=InMemorySaver())
    def workflow(amount: int) -> str:
        return settle(amount).result()

    try:
        workflow.invoke(50, CFG)
    except ConnectionError:
        pass
    assert workflow.invoke(None, CFG) == "paid 50 to bob"
    assert paid == [("bob", 50)], f"bob was paid again when the thread resumed: {paid}"


def test_plain_call_asked_about_in_a_task_can_be_approved() -> None:
    """Expected: the person's approval reaches the call it was asked about, and the payment runs once."""
    pay, paid = _pay()
    gpay = graphs.guard_tool(pay, gate=graphs.ToolGate([ask_over_100]))

    @task
    def settle(amount: int) -> Any:
        return gpay.invoke({"to": "bob", "amount": amount})

    @entrypoint(checkpointer=InMemorySaver())
    def workflow(amount: int) -> Any:
        return settle(amount).result()

    asked = workflow.invoke(500, CFG)["__interrupt__"][0]
    out = workflow.invoke(Command(resume={asked.id: {"type": "approve"}}), CFG)
    assert out == "paid 500 to bob" and paid == [("bob", 500)]


def test_plain_call_in_a_node_paid_once_when_the_node_resumes_after_an_interrupt() -> None:
    """Expected: as for a task: a node of the app's own that pays, then asks for a confirmation, pays once."""
    pay, paid = _pay()
    gate = graphs.ToolGate([])
    gpay = graphs.guard_tool(pay, gate=gate)

    class S(TypedDict, total=False):
        amount: int
        done: str

    def settle(state: S) -> dict[str, Any]:
        out = gpay.invoke({"to": "bob", "amount": state["amount"]})
        ok = interrupt("confirm the receipt?")
        return {"done": f"{out} ({ok})"}

    b = StateGraph(S)
    b.add_node("settle", settle)
    b.add_edge(START, "settle")
    b.add_edge("settle", END)
    app = graphs.guard_graph(b, gate=gate, checkpointer=InMemorySaver())
    app.invoke({"amount": 50}, CFG)
    assert app.invoke(Command(resume="yes"), CFG)["done"] == "paid 50 to bob (yes)"
    assert paid == [("bob", 50)], f"bob was paid once per run of the node: {paid}"


def test_two_plain_calls_of_one_task_run_each_once() -> None:
    """Control: a task paying twice on purpose (two calls) pays twice, and once each when it runs again."""
    pay, paid = _pay()
    gpay = graphs.guard_tool(pay, gate=graphs.ToolGate([]))

    @task
    def settle(amount: int) -> str:
        gpay.invoke({"to": "bob", "amount": amount})
        gpay.invoke({"to": "bob", "amount": amount})
        gpay.invoke({"to": "carol", "amount": amount})
        return str(interrupt("confirm?"))

    @entrypoint(checkpointer=InMemorySaver())
    def workflow(amount: int) -> str:
        return settle(amount).result()

    workflow.invoke(5, CFG)
    workflow.invoke(Command(resume="yes"), CFG)
    assert paid == [("bob", 5), ("bob", 5), ("carol", 5)]
    outside = graphs.guard_tool(pay, gate=graphs.ToolGate([]))
    outside.invoke({"to": "dan", "amount": 1})
    outside.invoke({"to": "dan", "amount": 1})  # outside any run: each invocation is a call of its own
    assert paid[-2:] == [("dan", 1), ("dan", 1)]
