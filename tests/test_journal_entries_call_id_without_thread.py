"""`EffectJournal.entries(call_id=...)` without a thread returned every entry of the journal (fixed).

`entries` applied `call_id` only inside `if thread_id is not None:`, so a reader naming a call alone (as
`tests/test_crash_recovery_outside_a_run.py` and `tests/test_escalation_outside_a_run.py` do, reading
`gate.journal.entries(call_id=...)[-1].kind` as that call's outcome) was handed every thread's every call,
silently: the last entry it read was whichever call was journaled last, in any conversation.

What must hold: `entries(call_id=c)` gives the entries of calls with id `c` (on any thread) and nothing else;
with a thread too, that thread's alone.

Fixed: entries applies call_id whether or not a thread is named.
"""

from __future__ import annotations

from vfa import EffectJournal


def test_entries_of_a_call_named_without_its_thread_are_that_calls_alone(tmp_path):
    with EffectJournal(tmp_path / "journal.db") as journal:
        journal.append([("t1", "c1", "pay", "proposed", {"args": {"to": "bob"}})])
        journal.append([("t1", "c1", "pay", "denied", {"reason": "no"})])
        journal.append([("t2", "c2", "pay", "proposed", {"args": {"to": "eve"}})])
        journal.append([("t2", "c2", "pay", "committed", {"result": "paid"})])
        journal.append([("t3", "c1", "pay", "proposed", {"args": {"to": "ann"}})])

        assert [(e.thread_id, e.kind) for e in journal.entries(call_id="c1")] == [
            ("t1", "proposed"), ("t1", "denied"), ("t3", "proposed")]  # before: all five, c2's commit last
        assert [e.kind for e in journal.entries(call_id="c2", kinds=["committed"])] == ["committed"]
        assert [e.kind for e in journal.entries("t1", call_id="c1")] == ["proposed", "denied"]
        assert journal.entries(call_id="nobody") == []
