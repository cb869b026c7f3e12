"""A start its tool paused, never resumed, pins `cut_off`'s mark for good.

`cut_off` (run before every effect) reads only the starts after its mark, the seq up to which every start
has its outcome. A start whose tool paused to ask (`interrupt()`) and whose question is never answered
(the user wrote a new message instead of resuming: the turn is never replayed) has no outcome, so the
mark never passes it ("paused: no outcome yet, so the mark stays"), and every later effect on the thread
reads every start since, with two correlated sub-queries each: quadratic over the rest of the thread.
Yet `cut_off` never reports a paused start, whatever comes after it (its `paused` entry stays), so
keeping the mark before it changes no answer.

What must hold: with such a paused start early in a thread, the work of one `cut_off` (SQLite virtual
machine steps, counted through a progress handler) does not grow with the starts after it; and it still
reports a start a crash cut off after it.

Fixed: the mark passes a start its tool paused: cut_off never reports one, whatever follows.
"""

from __future__ import annotations

from vfa import EffectJournal


def _steps(journal: EffectJournal, thread_id: str) -> tuple[int, list[str]]:
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    db = journal._db  # the journal's own connection: the work is counted where it is done
    db.set_progress_handler(tick, 10)
    try:
        found = [e.call_id for e in journal.cut_off(thread_id)]
    finally:
        db.set_progress_handler(None, 0)
    return count[0], found


def _fill(journal: EffectJournal, first: int, last: int) -> None:
    rows = []
    for i in range(first, last):
        rows += [("t", f"c{i:05}", "note", "started", {"args": {}}), ("t", f"c{i:05}", "note", "committed", {"result": "ok"})]
    journal.append(rows)


def test_a_paused_start_does_not_pin_the_mark(tmp_path) -> None:
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "asks", "note", "started", {"args": {}}),
                    ("t", "asks", "note", "paused", {"interrupt": "i1", "value": "sure?"})])
    _fill(journal, 0, 100)
    journal.cut_off("t")
    short, found = _steps(journal, "t")
    assert found == []
    _fill(journal, 100, 3000)
    journal.cut_off("t")
    long, found = _steps(journal, "t")
    assert found == []
    assert long <= 2 * short + 20, f"cut_off took {short} steps (x10) 100 starts after the pause, {long} 3,000 after"


def test_a_start_cut_off_after_a_paused_one_is_still_reported(tmp_path) -> None:
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "asks", "note", "started", {"args": {}}),
                    ("t", "asks", "note", "paused", {"interrupt": "i1", "value": "sure?"})])
    _fill(journal, 0, 20)
    assert journal.cut_off("t") == []
    journal.append([("t", "lost", "note", "started", {"args": {}})])
    _fill(journal, 20, 30)
    assert [e.call_id for e in journal.cut_off("t")] == ["lost"]
    assert [e.call_id for e in journal.cut_off("t")] == ["lost"]
    journal.append([("t", "lost", "note", "failed", {"error": "cut off"})])
    assert journal.cut_off("t") == []
