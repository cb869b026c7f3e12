"""A call refused for a busy thread, which another run ended by a person's reject, keeps one outcome.

Scenario. A call `c1` was asked about and a person rejected it in another run (another replica, or a
request of this process that resumed the thread): the journal holds its "rejected" outcome. This run
handles `c1` again (its task replayed from an older checkpoint) while another call of the thread holds
the thread's lock; it waits `lock_wait_s`, and is refused (`ThreadBusy`) before it reads the journal.

Since 2b545a5 a refusal under the model's own id ends the call through `EffectJournal.end`, so that it
never becomes a second outcome beside another run's. But `_refuse` (vfa/_guard_node.py) passes the
default `ended_by=("committed", "failed")`: a reject (or a denial) another run journaled is not seen,
and "denied" is written after "rejected": two outcomes, the replay now reads a busy thread, and the
model is told to try again a call the person rejected. The read-only path of fc62137 uses TERMINAL.

Must hold: the call answers with the reject journaled before it, and the journal holds one outcome.

Fixed: EffectJournal.end counts any outcome by default (TERMINAL), so a refusal, a denial or a reject after
another run's reject of the call answers from it.
"""

from __future__ import annotations

from _busy import thread_held

from vfa import EffectJournal, effect
from vfa._guard_node import GuardNode
from vfa._journal import TERMINAL


@effect
def transfer(to: str, amount: int) -> str:
    """Send `amount` to `to`."""
    return f"sent {amount} to {to}"


def test_a_busy_refusal_answers_from_the_reject_another_run_journaled(tmp_path) -> None:
    journal = EffectJournal(tmp_path / "j.db")
    node = GuardNode([transfer], [], journal=journal)
    node.lock_wait_s = 0.2
    journal.append([("t", "c1", "transfer", "proposed", {"args": {"to": "bob", "amount": 5}}),
                    ("t", "c1", "transfer", "rejected", {"type": "reject", "message": "no"})])
    with thread_held(node, "t"):
        message = node.handle({"name": "transfer", "args": {"to": "bob", "amount": 5}, "id": "c1"}, {"messages": []}, "t")
    outcomes = [e.kind for e in journal.entries("t", call_id="c1") if e.kind in TERMINAL]
    assert outcomes == ["rejected"], f"the call has outcomes {outcomes}"
    assert message.artifact["vfa"]["outcome"] == "rejected", message.content
