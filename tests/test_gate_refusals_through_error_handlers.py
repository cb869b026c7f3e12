"""Red team 136: a refusal the gate raises to stop the run ("nothing was done") is turned into a saved tool
failure by LangChain's own tool-error handling, and the effect runs twice.

Scenario: two replicas of a `create_agent` app guarded by `GuardMiddleware` (one SQLite journal file, one
checkpointer) with LangChain's `ToolRetryMiddleware()` before it (the README's order: the gate last among the
tool-call middlewares). Replica A runs `pay(bob, 90)` (call "p1"), whose effect is slow. Meanwhile replica B
runs the same thread (`invoke(None)`: a client's retry, a worker picking up the pending task). The gate in B
raises `CallInFlightError` ("nothing was done: resume the thread once that run has finished"), as the README
promises: "resuming its thread meanwhile raises CallInFlightError, writes nothing, and once that run has
finished, resuming answers from its outcome".

What happens: `ToolRetryMiddleware` (by default it retries every exception and then answers with a message)
catches it and writes "Tool 'pay' failed after 1 attempt with CallInFlightError ... Please try again." as the
call's result. B's run goes on: the model, told the payment failed, pays again ("p2"), and the gate commits
it (a new call). A's payment lands too: bob is paid twice. `ToolErrorMiddleware` and a `ToolNode` with
`handle_tool_errors=True` under `guard_graph` do the same. So does `AnswerError` (an answer re-sent to a
question answered already, "nothing is saved, and the pending question waits"): behind `ToolRetryMiddleware`
the pending question is dropped and the call is saved as failed.

Why it matters: exactly-once and the README's "writes nothing" hold only if the refusal stops the run. The
error handlers LangChain ships are meant for a tool's own failures; each re-raises LangGraph's control
signals (`GraphBubbleUp`, as an interrupt), and only those.

Expected: B's run stops with `CallInFlightError`, nothing saved; bob is paid once; once A has finished,
resuming B answers from A's outcome. A re-sent answer stops with `AnswerError`, and the question waits.

Fixed: the gate raises these refusals (`AnswerError`, `JournalError`) as a subclass that is also
LangGraph's `GraphBubbleUp` (type, message and attributes kept), which the handlers re-raise.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain.agents import create_agent
from langchain.agents.middleware import ToolErrorMiddleware, ToolRetryMiddleware
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

from conftest import in_another_process
from graphs import GuardMiddleware, guard_graph
from vfa import ALLOW, AnswerError, CallInFlightError, EffectJournal, Escalate, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def budget(p, c):
    return ALLOW


def _payments(paid: list[int], inside: threading.Event, release: threading.Event) -> Any:
    """`pay`, whose first run (replica A's) waits inside the effect until `release`."""

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay."""
        if not inside.is_set():
            inside.set()
            release.wait(timeout=10)
        paid.append(amount)
        return "paid"

    return pay


def _model() -> ScriptedModel:
    """Pays bob 90 ("p1"); told the payment failed, pays again ("p2")."""

    def rule(ms: list[Any]) -> Any:
        results = [m for m in ms if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "pay", "id": "p1", "args": {"to": "bob", "amount": 90}}])
        if len(results) == 1 and "paid" not in str(results[0].content):
            return AIMessage("", tool_calls=[{"name": "pay", "id": "p2", "args": {"to": "bob", "amount": 90}}])
        return "done"

    return ScriptedModel(rule=rule)


def _agent(pay: Any, path: str, saver: Any, how: str) -> Any:
    journal = EffectJournal(path)
    if how == "guard_graph, ToolNode(handle_tool_errors=True)":
        builder = tool_loop(model_node(_model().bind_tools([pay])), ToolNode([pay], handle_tool_errors=True))
        return guard_graph(builder, [budget], journal=journal, checkpointer=saver)
    handler = ToolRetryMiddleware(max_retries=0) if how == "ToolRetryMiddleware" else \
        ToolErrorMiddleware(lambda exc, request: f"{request.tool_call['name']} failed: {type(exc).__name__}")
    return create_agent(_model(), [pay], middleware=[handler, GuardMiddleware([budget], journal=journal)],
                        checkpointer=saver)


@pytest.mark.parametrize("how", ["ToolRetryMiddleware", "ToolErrorMiddleware",
                                 "guard_graph, ToolNode(handle_tool_errors=True)"])
def test_a_call_another_replica_is_inside_stops_the_run_and_runs_once(tmp_path, how):
    paid: list[int] = []
    inside, release = threading.Event(), threading.Event()
    pay = _payments(paid, inside, release)
    path, saver = os.path.join(tmp_path, "journal.db"), InMemorySaver()
    a = _agent(pay, path, saver, how)
    with in_another_process():  # replica B: thread locks of its own
        b = _agent(pay, path, saver, how)
    out_a: dict[str, Any] = {}
    runner = threading.Thread(target=lambda: out_a.update(a.invoke({"messages": [("user", "pay bob 90")]}, CFG)))
    runner.start()
    try:
        assert inside.wait(timeout=10)
        with pytest.raises(CallInFlightError, match="call 'p1' of 'pay' on thread 't' is being run"):
            b.invoke(None, CFG)  # replica B takes up the thread while A is inside the payment
    finally:
        release.set()
        runner.join()
    assert paid == [90], f"bob was paid {len(paid)} times"
    assert out_a["messages"][-1].content == "done"
    b.invoke(None, CFG)  # A has finished: nothing is pending, nothing runs again
    assert paid == [90]


PAY_BOB = [{"name": "pay", "id": "b", "args": {"to": "bob", "amount": 900}}]


@guard
def confirm(p, c):
    return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?")


@guard
def over_limit(p, c):
    return Escalate(question=f"{p.args['amount']} is over the limit: allow?") if p.args["amount"] > 100 else ALLOW


@pytest.mark.parametrize("run", ["invoke", "ainvoke"])
def test_an_answer_re_sent_behind_tool_retry_is_refused_and_the_question_waits(run):
    paid: list[int] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    model = ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=PAY_BOB) if not any(m.type == "tool" for m in ms)
                          else "done")
    app = create_agent(model, [pay], middleware=[ToolRetryMiddleware(max_retries=1, initial_delay=0, jitter=False),
                                                 GuardMiddleware([confirm, over_limit])], checkpointer=InMemorySaver())

    def go(value: Any) -> Any:
        return app.invoke(value, CFG) if run == "invoke" else asyncio.run(app.ainvoke(value, CFG))

    first = go({"messages": [("user", "pay bob")]})["__interrupt__"][0]
    second = go(Command(resume={first.id: {"type": "approve"}}))["__interrupt__"][0]
    with pytest.raises(AnswerError):
        go(Command(resume={first.id: {"type": "approve"}}))  # a client re-sending the answer it holds
    out = go(None)  # nothing was saved: the limit question is still the one pending
    assert [i.id for i in out.get("__interrupt__", [])] == [second.id], [m.content for m in out["messages"]]
    go(Command(resume={second.id: {"type": "approve"}}))
    assert paid == [900]
