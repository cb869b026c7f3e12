"""Helpers for the lost-checkpoint crash tests: run `_lost_checkpoint_child.py` and read what it did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = Path(__file__).with_name("_lost_checkpoint_child.py")


def child(workdir: Path, mode: str, durability: str, calls: str = "bob", kill_on: str | None = None) -> dict:
    """Run the child; the JSON it printed ({} when it was killed)."""
    env = {**os.environ, **({"KILL_ON": kill_on} if kill_on else {})}
    done = subprocess.run([sys.executable, str(CHILD), str(workdir), mode, durability, calls], capture_output=True,
                          text=True, timeout=120, env=env)
    if mode in ("crash", "after"):
        assert done.returncode == -9, done.stderr
        return {}
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def ledger(workdir: Path) -> list[str]:
    """The transfers that really happened, in order."""
    path = workdir / "ledger.txt"
    return path.read_text().splitlines() if path.exists() else []
