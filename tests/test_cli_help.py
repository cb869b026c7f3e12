"""`vfa demo --help` and `vfa journal --help` list options without saying what the command does.

Red team 154. `vfa --help` gives each command one line, but a command's own help (what a user reads
first) prints only its usage and options: `vfa demo --help` never says it runs an offline payments
agent that pays from a ledger in `--dir` (a payment it commits is kept: run again it goes on), and
`vfa journal --help` never says it prints a journal. `vfa bench z3 --help` (and overhead, collision)
names its program `__main__.py`, a name no user typed.

Fixed: each command has a description; `vfa bench NAME` sets the benchmark's program name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def vfa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vfa", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("command, says", [("demo", "guarded agent"), ("journal", "print")])
def test_a_commands_help_says_what_it_does(command, says):
    proc = vfa(command, "--help")
    assert proc.returncode == 0
    usage, _, rest = proc.stdout.partition("\n\n")
    assert says in rest.split("positional arguments:")[0].split("options:")[0].lower(), proc.stdout


@pytest.mark.parametrize("name", ["z3", "overhead", "collision", "privacy", "long_thread"])
def test_a_benchmarks_help_names_the_command_run(name):
    proc = vfa("bench", name, "--help")
    assert proc.returncode == 0
    assert "__main__.py" not in proc.stdout and f"vfa bench {name}" in proc.stdout, proc.stdout.splitlines()[0]
