"""`vfa bench NAME --json PATH` with a PATH it cannot write is refused before the benchmark runs.

Found (red team 130): `vfa bench privacy --json /no/such/dir/out.json` ran the whole benchmark (minutes
without `--quick`) and then ended in a `FileNotFoundError` traceback, its figures written nowhere; the
README says each benchmark "takes `--json PATH`" and `vfa bench NAME` runs them. A path that cannot be
written is now an argument error, said at once.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("name", ["privacy", "overhead", "z3", "collision"])
def test_an_unwritable_json_path_is_refused_at_once(tmp_path, name):
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    proc = subprocess.run([sys.executable, "-m", "vfa", "bench", name, "--quick", "--json", str(target)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 2 and str(target) in proc.stderr, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout == "", "the benchmark ran before its --json path was checked"
    assert not (tmp_path / "no").exists()


def test_long_thread_refuses_an_unwritable_json_path_at_once(tmp_path):
    from benchmarks.privacy import long_thread

    with pytest.raises(SystemExit) as stop:
        long_thread.main(["--results", "10", "--json", str(tmp_path / "missing" / "out.json")])
    assert stop.value.code == 2


def test_a_writable_json_path_is_left_for_the_benchmark_to_write(tmp_path):
    from benchmarks import json_path

    assert json_path(str(tmp_path / "out.json")) == tmp_path / "out.json"
    assert not (tmp_path / "out.json").exists()  # checking it made no file


def test_vfa_bench_collision_ends_without_a_traceback(tmp_path):
    """Found too: `vfa bench collision` printed its table, then `int()` of the figures dict its `main`
    returns raised a `TypeError` traceback, exit status 1."""
    proc = subprocess.run([sys.executable, "-m", "vfa", "bench", "collision", "--quick"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0 and "numba / python" in proc.stdout
