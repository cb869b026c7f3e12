"""An effect another replica committed (or failed) first is traced by this replica as its own second outcome.

README (Tracing): "an `execute_tool` span carries its call's `vfa.outcome`, and one whose call did not commit
(denied, rejected, failed) ends in error ... once: a call its node, run again, answers from the journal
carries `vfa.replayed` and no second error". README (exactly once): a second run of a call is answered with
the outcome recorded, never run again.

How it breaks: two replicas (two journal objects on one file) take the same call; the other replica runs the
effect and records its outcome while this one's guards judge it. `EffectJournal.commit` then finds that
outcome and hands it back instead of running the effect (`return its outcome`), and `GuardNode._commit`
answers with it as if this run had made it: the effect's failure is a second `execute_tool` span in error
(`failed`), and its commit a second span saying `committed` with no `vfa.replayed`: the trace shows one
payment made twice, or one failure twice in the error views.

What must hold: the span of the run that answered with another run's recorded outcome carries
`vfa.replayed` and no error; the effect ran once; one error span per failure.

Fixed: an outcome EffectJournal.commit hands back without running the effect marks the span vfa.replayed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from conftest import in_another_process
from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel, capture_spans

CFG = {"configurable": {"thread_id": "t"}}


@pytest.mark.parametrize("fails", [False, True])
def test_an_outcome_another_replica_recorded_first_is_traced_once(tmp_path: Path, fails: bool) -> None:
    ran: list[int] = []

    @effect
    def pay(amount: int) -> str:
        """Pay an amount."""
        ran.append(amount)
        if fails:
            raise RuntimeError("the bank is down")
        return "paid"

    @guard(timeout_s=30)
    def ok(p: Any, c: Any) -> Any:
        return ALLOW

    @guard(timeout_s=30)
    def slow_ok(p: Any, c: Any) -> Any:  # the other replica runs the call while this one judges it
        worker = threading.Thread(target=lambda: other.invoke({"messages": [HumanMessage("pay")]}, CFG))
        worker.start()
        worker.join(30)
        return ALLOW

    def replica(g: Any) -> tuple[Any, EffectJournal]:
        journal = EffectJournal(tmp_path / "journal.db")
        with in_another_process():  # two processes: thread locks of their own
            return Agent(ScriptedModel([("pay", {"amount": 5}), "ok"]), [pay], guards=[g], journal=journal).compile(), journal

    (other, journal), (app, _) = replica(ok), replica(slow_ok)
    with capture_spans() as spans:
        said = app.invoke({"messages": [HumanMessage("pay")]}, CFG)["messages"][2]
        finished = spans.get_finished_spans()
    assert ran == [5], "the effect ran once"
    outcomes = [e.kind for e in journal.entries("t", call_id="call_0_0") if e.kind in ("committed", "failed")]
    assert len(outcomes) == 1, outcomes
    outcome = "failed" if fails else "committed"
    assert said.artifact["vfa"]["outcome"] == outcome
    calls = [s for s in finished if s.name == "execute_tool pay"]
    assert [s.attributes["vfa.outcome"] for s in calls] == [outcome, outcome]
    errors = [s for s in calls if s.status.status_code.name == "ERROR"]
    assert len(errors) == (1 if fails else 0), f"one outcome, {len(errors)} error spans"
    replayed = [s for s in calls if s.attributes.get("vfa.replayed")]
    assert len(replayed) == 1, "the run that answered with the other replica's outcome says so"
