from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_overhead_benchmark_quick(tmp_path):
    out = tmp_path / "overhead.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.overhead", "--quick", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "(b) vfa, 3 guards + journal" in proc.stdout
    figures = json.loads(out.read_text())
    for key in ("ratio_guarded_over_unguarded", "ratio_traced_over_unguarded", "per_action_unguarded_s",
                "per_action_guarded_s"):
        assert figures[key] > 0
