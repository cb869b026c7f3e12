"""The collision benchmark runs end to end at a tiny size and writes the figures it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_collision_benchmark_quick_writes_json(tmp_path):
    out = tmp_path / "collision.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "collision.py"), "--quick", "--json", str(out)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    figures = json.loads(out.read_text())
    for key in ("speedup_vs_python", "speedup_vs_numpy", "swept_speedup_vs_python", "cold_start_warm_cache_s"):
        assert isinstance(figures[key], float) and figures[key] > 0, key
    assert "pair-checks/s" in run.stdout and "memory bandwidth" in run.stdout
