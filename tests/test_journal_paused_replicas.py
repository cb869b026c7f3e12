"""Red team 78: Exactly-once breaks for an effect whose tool paused itself with `interrupt()`, resumed by two replicas.

README: "only one run can hold a call's write-ahead record, so concurrent replicas cannot run an
effect twice". A tool that calls `interrupt()` leaves its call `started` then `paused` in the journal;
the resume runs the tool again as a `restart` (`GuardNode._handle` passes `restart=flight is not None`),
and `EffectJournal.commit(restart=True)` skips the "already being committed" check and writes a
`restarted` record, which no unique index covers. Two replicas (two nodes, two journal connections on
one SQLite file, one shared checkpointer) resuming the same thread at once both run the effect:
both read the call's history (`started`, `paused`) before either writes `restarted`, and both commit.
"""

from __future__ import annotations

import threading
import time

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

from conftest import in_another_process


def test_two_replicas_resuming_one_paused_effect_run_it_once(tmp_path):
    paid: list = []

    @effect
    def confirm_and_pay(to: str) -> str:
        """Ask the person for the amount, then pay."""
        amount = interrupt({"ask": f"how much for {to}?"})
        time.sleep(0.3)  # the effect takes a moment (a payment API)
        paid.append((to, amount))
        return f"paid {amount}"

    checked: list = []  # armed for the resumes only

    @guard(timeout_s=5)
    def slow(p, c):  # both replicas read the call's journal before either starts it again
        if checked:
            checked[0].wait(timeout=5)
        return ALLOW

    path = str(tmp_path / "journal.db")
    saver = InMemorySaver()

    def replica() -> Agent:
        return Agent(ScriptedModel([("confirm_and_pay", {"to": "alice"}), "done"]), [confirm_and_pay], [slow], journal=EffectJournal(path))

    agents = [replica()]
    with in_another_process():  # replica B: thread locks of its own
        agents.append(replica())
    apps = [a.compile(checkpointer=saver) for a in agents]
    cfg = {"configurable": {"thread_id": "t1"}}
    out = apps[0].invoke({"messages": [("user", "pay alice")]}, cfg)
    assert out["__interrupt__"][0].value == {"ask": "how much for alice?"}

    errors: list = []

    def resume(app):
        try:
            app.invoke(Command(resume=3), cfg)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    checked.append(threading.Barrier(2))
    threads = [threading.Thread(target=resume, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert paid == [("alice", 3)], f"the effect ran {len(paid)} times; errors: {errors!r}"
