"""The Z3 checks benchmark runs end to end at a tiny size and writes the keys the project tracks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_z3_benchmark_quick_run_writes_its_json(tmp_path: Path) -> None:
    out = tmp_path / "z3.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "z3_checks.py"), "--quick", "--json", str(out)],
                          capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text())
    assert {"speedup_vs_fresh_solver", "speedup_vs_push_pop", "verdict_mismatches"} <= set(data)
    assert data["verdict_mismatches"] == 0
    assert set(data["preconditions"]) == {"transfer", "transfer4", "transfer10"}
    assert data["preconditions"]["transfer10"]["clauses"] == 10
