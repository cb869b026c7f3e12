"""A guard's denial is never journaled for a call another replica is committing: one call, one outcome.

Two replicas (two journals on one file, as two workers of one app are) run the same call of one thread at
once. The first replica's guards allow it and its effect begins; the second replica read the call's history
before that start, and its guard (reading a world that changed meanwhile) denies. The denial was appended
to the journal after the other replica's `started` entry, and that replica then wrote `committed`: the
call has two outcomes, and the second replica told its model "denied" for a payment that was made.

The reject of a person is journaled through `EffectJournal.end` (CallInFlightError while another run is
inside the call, or the recorded outcome when it has one: `Questions._record`), and `commit` refuses a call
already denied (red team 218's fix); a guard's denial must be written the same way. docs/kernel.md: "only one run
can hold a call's write-ahead record ... a call another replica is inside is not taken for a crashed one:
resuming its thread meanwhile raises `CallInFlightError`, writes nothing".

What must hold: the replica that denies while the other is inside the effect raises `CallInFlightError`
(nothing written) or answers with the recorded outcome; the call's own record holds one outcome.

Fixed: a guard's denial is journaled through GuardNode._end (EffectJournal.end).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage

from vfa import ALLOW, Agent, CallInFlightError, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

from conftest import in_another_process

CFG = {"configurable": {"thread_id": "t"}}
OUTCOMES = ("committed", "failed", "denied", "rejected")


def test_a_denial_beside_a_running_commit_is_not_a_second_outcome(tmp_path: Path) -> None:
    checking, inside, second_done = threading.Event(), threading.Event(), threading.Event()
    paid: list[tuple[str, int]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        inside.set()
        second_done.wait(10)  # the other replica decides while this payment is under way
        return f"paid {amount} to {to}"

    @guard(timeout_s=30)
    def first(p: Any, c: Any) -> Any:
        checking.wait(10)  # begins once the other replica has read the call's history
        return ALLOW

    @guard(timeout_s=30)
    def second(p: Any, c: Any) -> Any:
        checking.set()
        inside.wait(10)
        return Deny(reason="the balance changed")

    def replica(g: Any) -> tuple[Any, EffectJournal]:
        journal = EffectJournal(tmp_path / "journal.db")
        model = ScriptedModel([("pay", {"to": "eve", "amount": 5}), "ok"])
        with in_another_process():  # replicas in two processes: thread locks of their own
            return Agent(model, [pay], guards=[g], journal=journal).compile(), journal

    (app1, journal), (app2, _) = replica(first), replica(second)
    said: dict[str, Any] = {}

    def run(name: str, app: Any) -> None:
        try:
            said[name] = app.invoke({"messages": [HumanMessage("pay eve 5")]}, CFG)["messages"][2]
        except Exception as exc:  # noqa: BLE001 - what the run raised is what is checked
            said[name] = exc
        finally:
            if name == "second":
                second_done.set()

    threads = [threading.Thread(target=run, args=("second", app2)), threading.Thread(target=run, args=("first", app1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert paid == [("eve", 5)]
    assert said["first"].artifact["vfa"]["outcome"] == "committed"
    kinds = [e.kind for e in journal.entries("t", call_id="call_0_0")]
    assert [k for k in kinds if k in OUTCOMES] == ["committed"], kinds
    second_said = said["second"]
    assert isinstance(second_said, CallInFlightError) or second_said.artifact["vfa"]["outcome"] == "committed", second_said
