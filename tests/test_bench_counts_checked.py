"""A benchmark's counts (steps, repetitions, argument sets, results) are checked when parsed.

Found (red team 217): `--steps 0` (overhead), `--reps 0`, `--n 0` (z3), `--results 10` (long_thread, below
its 20-step window) and `--repeats -1` (privacy) each ran, then ended in a ZeroDivisionError,
StatisticsError or IndexError traceback, the privacy one after its whole attack suite; and
`vfa bench privacy --repeats 0` silently ran 9 repetitions (3 with `--quick`). What must hold: such a
count is an argument error naming the option, said at once (exit status 2), as an unwritable `--json`
path is.

Fixed: benchmarks.at_least makes each count an argument error (exit 2) naming the option before anything runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import overhead, z3_checks  # noqa: E402
from benchmarks.privacy import long_thread, run  # noqa: E402


@pytest.mark.parametrize(("main", "argv", "option"), [
    (overhead.main, ["--steps", "0", "--reps", "1"], "--steps"),
    (overhead.main, ["--steps", "3", "--reps", "0"], "--reps"),
    (z3_checks.main, ["--n", "0"], "--n"),
    (long_thread.main, ["--results", "10"], "--results"),
    (long_thread.main, ["--results", "0"], "--results"),
    (run.main, ["--quick", "--repeats", "0"], "--repeats"),
    (run.main, ["--quick", "--repeats", "-1"], "--repeats"),
])
def test_a_count_out_of_range_is_refused_at_once(main, argv, option, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    captured = capsys.readouterr()
    assert stop.value.code == 2, captured
    assert option in captured.err and captured.out == "", captured
