"""Red team 150: one start that paused and then ended denied pins `cut_off`'s mark for good.

`EffectJournal.cut_off` reads only the starts written since the oldest one without an outcome (its
`_ended_upto` mark: "a long thread costs no more"). It counts only `committed` and `failed` as an
outcome, but a start whose tool paused to ask and whose call the guards then denied (or a person
rejected) on resume ends `denied` (`rejected`): terminal, as the node itself reads it (`TERMINAL`), yet
the mark never passes it. From then on every effect on the thread re-reads every start since, with two
correlated sub-queries each: the cost of each call grows with the thread (about 3 ms per 1,000
effects here), quadratic over a long thread.

Fixed: `cut_off` takes any terminal kind (`TERMINAL`) for a start's outcome, so its mark passes a start
ended denied or rejected.
"""

from __future__ import annotations

from vfa import EffectJournal


def test_a_start_ended_denied_after_a_pause_does_not_pin_the_mark() -> None:
    journal = EffectJournal()
    rows = [("t", "p", "transfer", "started", {"args": {}}), ("t", "p", "transfer", "paused", {"by": "tool"}),
            ("t", "p", "transfer", "denied", {"kind": "deny", "reason": "frozen"})]
    for i in range(50):
        rows += [("t", f"c{i}", "transfer", "started", {"args": {}}), ("t", f"c{i}", "transfer", "committed", {"result": "ok"})]
    journal.append(rows)
    assert journal.cut_off("t") == []
    last_start = max(e.seq for e in journal.entries("t") if e.kind == "started")
    assert journal._ended_upto.get("t") == last_start
