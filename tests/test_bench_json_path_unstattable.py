"""`vfa bench NAME --json PATH` refuses a PATH that cannot be looked up with argparse's error; no traceback.

`benchmarks.json_path` checks `--json PATH` when it is parsed, "refused when parsed if the
file cannot be written", but asked `Path.exists()` before its `try`: on Python 3.11 that raises for a
name longer than the file system allows, and `vfa bench z3 --json <a 300-character name>` ended in an
`OSError` traceback (exit 1) instead of argparse's usage error (exit 2) naming the argument.

What must hold: such a PATH is refused as any unwritable one is, with exit 2, before the benchmark runs.

Fixed: json_path looks the path up inside its try: exit 2 with argparse's message naming --json.
"""

from __future__ import annotations

import pytest

from vfa.cli import main


def test_a_json_path_whose_name_is_too_long_is_refused_when_parsed(tmp_path, capsys):
    path = tmp_path / ("f" * 300 + ".json")
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "z3", "--json", str(path)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--json" in err and "too long" in err, err


def test_bench_puts_the_programs_name_back(tmp_path, capsys, monkeypatch):
    """`main` may run inside another program: the name `vfa bench` gives the benchmark's usage is put back after."""
    monkeypatch.setattr("sys.argv", ["host-program", "--its-own-flag"])
    with pytest.raises(SystemExit):
        main(["bench", "z3", "--json", str(tmp_path / ("f" * 300 + ".json"))])
    import sys

    assert sys.argv == ["host-program", "--its-own-flag"]
    assert "vfa bench z3" in capsys.readouterr().err  # the usage named the command typed
