"""`EffectJournal.cut_off` reads every start of a thread at each call.

`cut_off` runs before every effect (`GuardNode._lost`) and promises "a long thread costs no more": it
keeps a mark (`_ended_upto`) and asks only for the starts written after it. But SQLite answers
`thread_id = ? AND kind = 'started' AND seq > ?` through the unique index on (thread_id, call_id)
(`journal_started_once`), whose order is the call id's, so it walks every start the thread ever wrote,
filters them by seq and sorts what is left: each call costs time linear in the thread's length, a thread
of n effects O(n²) (0.07 ms a call at 1,000 effects, 0.7 ms at 10,000, more than the commit itself).

What must hold: with the mark past every start, the work of one `cut_off` (SQLite's virtual machine
steps, counted through a progress handler) does not grow with the number of starts before the mark.

Fixed: a partial index on (thread_id, seq) of the starts: cut_off reads only the starts after its mark.
"""

from __future__ import annotations

from vfa import EffectJournal


def _steps(journal: EffectJournal, thread_id: str) -> int:
    """SQLite VM steps (in units of 10) one `cut_off` of the thread takes."""
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    db = journal._db  # the journal's own connection: the work is counted where it is done
    db.set_progress_handler(tick, 10)
    try:
        assert journal.cut_off(thread_id) == []
    finally:
        db.set_progress_handler(None, 0)
    return count[0]


def _fill(journal: EffectJournal, first: int, last: int) -> None:
    rows = []
    for i in range(first, last):  # another thread between, as a journal shared by conversations holds
        rows += [("t", f"c{i:05}", "note", "started", {"args": {}}), ("t", f"c{i:05}", "note", "committed", {"result": "ok"}),
                 ("u", f"c{i:05}", "note", "started", {"args": {}}), ("u", f"c{i:05}", "note", "committed", {"result": "ok"})]
    journal.append(rows)


def test_cut_off_work_does_not_grow_with_the_thread(tmp_path) -> None:
    journal = EffectJournal(tmp_path / "journal.db")
    _fill(journal, 0, 100)
    journal.cut_off("t")  # sets the mark past every start
    short = _steps(journal, "t")
    _fill(journal, 100, 3000)
    journal.cut_off("t")
    long = _steps(journal, "t")
    assert long <= 2 * short + 20, f"cut_off took {short} steps (x10) at 100 starts, {long} at 3,000"


def test_cut_off_still_finds_a_start_without_an_outcome(tmp_path) -> None:
    journal = EffectJournal(tmp_path / "journal.db")
    _fill(journal, 0, 50)
    journal.cut_off("t")
    journal.append([("t", "lost", "note", "started", {"args": {"text": "x"}})])
    _fill(journal, 50, 60)
    assert [e.call_id for e in journal.cut_off("t")] == ["lost"]
    assert [e.call_id for e in journal.cut_off("t")] == ["lost"]  # the mark stays before it
