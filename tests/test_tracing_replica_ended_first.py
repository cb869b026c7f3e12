"""A call another replica ended first is answered from the journal, but its span is a second error.

README (Tracing): an `execute_tool` span "whose call did not commit ... ends in error ... once: a call its
node, run again, answers from the journal carries `vfa.replayed` and no second error". Within one process
that holds (`_handle` marks the frame replayed). Across replicas (two processes, two journal objects on
one file) it does not: when the other replica ended the call between this run's read of the journal and
its own write, `GuardNode._end` (a guard's denial) and `GuardNode._refuse` (a refusal under the model's
id: a schema error, a busy thread) find that outcome in `EffectJournal.end`, write nothing and answer with
it through `_replayed`, but never mark the frame replayed: the span ends in error as a decision of its
own. One denial, journaled once, is two error spans (and the error views count it twice).

What must hold: one journaled denial is one error `execute_tool` span; the run that answered it from
another run's record carries `vfa.replayed`, its outcome, and no error status.

Fixed: _replayed marks the call's span vfa.replayed wherever the answer from the journal comes from.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

from _busy import thread_held
from langchain_core.messages import HumanMessage
from pydantic import AfterValidator

from conftest import in_another_process
from vfa import Agent, Deny, EffectJournal, effect, guard
from vfa._guard_node import GuardNode
from vfa.testing import ScriptedModel, capture_spans

CFG = {"configurable": {"thread_id": "t"}}


def _spans(finished: Any, tool: str, call_id: str) -> list[Any]:
    return [s for s in finished if s.name == f"execute_tool {tool}" and s.attributes.get("gen_ai.tool.call.id") == call_id]


def _one_error(spans: list[Any]) -> None:
    errors = [s for s in spans if s.status.status_code.name == "ERROR"]
    assert len(errors) == 1, f"one denial, {len(errors)} error spans"
    others = [s for s in spans if s not in errors]
    assert others and all(s.attributes.get("vfa.replayed") is True for s in others), \
        [dict(s.attributes) for s in others]


def _replicas(tmp_path: Path, tool: Any, first: Any, second: Any) -> tuple[Any, Any, EffectJournal]:
    def one(g: Any) -> tuple[Any, EffectJournal]:
        journal = EffectJournal(tmp_path / "journal.db")
        with in_another_process():  # two processes: thread locks of their own
            return Agent(ScriptedModel([(tool.name, {"amount": 500}), "ok"]), [tool],
                         guards=[g] if g is not None else [], journal=journal).compile(), journal

    (app1, journal), (app2, _) = one(first), one(second)
    return app1, app2, journal


def _in_thread(run: Any) -> None:
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)


def test_a_denial_another_replica_journaled_first_is_one_error_span(tmp_path: Path) -> None:
    """`_end`: this replica's guard denies too, after the other replica journaled its denial of the call."""

    @effect
    def pay(amount: int) -> str:
        """Pay an amount."""
        return "paid"

    @guard(timeout_s=30)
    def limit(p: Any, c: Any) -> Any:
        return Deny(reason="over the limit")

    @guard(timeout_s=30)
    def slow_limit(p: Any, c: Any) -> Any:  # the other replica decides the call while this one judges it
        _in_thread(lambda: other.invoke({"messages": [HumanMessage("pay")]}, CFG))
        return Deny(reason="over the limit")

    other, app, journal = _replicas(tmp_path, pay, limit, slow_limit)
    with capture_spans() as spans:
        said = app.invoke({"messages": [HumanMessage("pay")]}, CFG)["messages"][2]
        finished = spans.get_finished_spans()
    assert said.artifact["vfa"]["outcome"] == "denied"
    assert [e.kind for e in journal.entries("t", call_id="call_0_0")].count("denied") == 1
    _one_error(_spans(finished, "pay", "call_0_0"))


_HOOK: list[Any] = []


def checked(v: int) -> int:
    """Refuses every amount; the first time, the other replica refuses the call while this one validates it."""
    if _HOOK:
        _in_thread(_HOOK.pop())
    raise ValueError("amounts are refused")


def test_a_refusal_another_replica_journaled_first_is_one_error_span(tmp_path: Path) -> None:
    """`_refuse` under the model's id: the arguments' schema refuses, after the other replica refused the call."""
    hook = _HOOK

    @effect
    def pay(amount: Annotated[int, AfterValidator(checked)]) -> str:
        """Pay an amount."""
        return "paid"

    other, app, journal = _replicas(tmp_path, pay, None, None)
    hook.append(lambda: other.invoke({"messages": [HumanMessage("pay")]}, CFG))
    with capture_spans() as spans:
        said = app.invoke({"messages": [HumanMessage("pay")]}, CFG)["messages"][2]
        finished = spans.get_finished_spans()
    assert not hook, "the other replica ran"
    assert said.artifact["vfa"]["outcome"] == "denied"
    assert [e.kind for e in journal.entries("t", call_id="call_0_0")].count("denied") == 1
    _one_error(_spans(finished, "pay", "call_0_0"))


def test_a_busy_refusal_answered_from_another_runs_denial_is_one_error_span(tmp_path: Path) -> None:
    """`_refuse` under the model's id: a busy thread, the call already denied by another run."""

    @effect
    def pay(amount: int) -> str:
        """Pay an amount."""
        return "paid"

    @guard
    def no(p: Any, c: Any) -> Any:
        return Deny(reason="no")

    journal = EffectJournal(tmp_path / "j.db")
    node = GuardNode([pay], [], journal=journal)
    node.lock_wait_s = 0.2
    call = {"name": "pay", "args": {"amount": 500}, "id": "c1"}
    other = GuardNode([pay], [no], journal=EffectJournal(tmp_path / "j.db"))  # another run (or replica) of the file
    with capture_spans() as spans:
        first = other.handle(call, {"messages": []}, "t")
        with thread_held(node, "t"):
            message = node.handle(call, {"messages": []}, "t")
        finished = spans.get_finished_spans()
    assert first.artifact["vfa"]["outcome"] == message.artifact["vfa"]["outcome"] == "denied"
    _one_error(_spans(finished, "pay", "c1"))
