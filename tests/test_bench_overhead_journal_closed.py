"""The overhead benchmark closes each vfa run's journal when the run ends, as the checkpointer is closed.

Found (red team 217): `run_once` closed the SqliteSaver of every run (a `with`), but left the vfa run's
`EffectJournal` open; it lived on in the compiled graph's reference cycles until a later cycle collection,
which closed it (a WAL checkpoint into the file, about 2 ms) during whichever run was timed then, the
LangGraph baseline's among them. What must hold: when `run_once` returns, the run's journal is closed
(its write-ahead log folded into the file and gone), so none of its cost lands on another run.

Fixed: run_once closes the vfa run's journal when the run ends, outside its time.
"""

from __future__ import annotations

from benchmarks import overhead


def test_a_vfa_run_leaves_its_journal_closed(tmp_path):
    overhead.run_once("vfa", 5, tmp_path, 0)
    assert (tmp_path / "vfa-0-journal.db").exists()
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm")))
    assert left == [], left
