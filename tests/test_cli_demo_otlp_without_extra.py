"""`vfa demo` with an OTLP endpoint set but the `otlp` extra missing runs on its trace file.

Fixed: `configure_tracing` raised ImportError, which the demo did not catch: the offline demo died
with a traceback in any shell that set `OTEL_EXPORTER_OTLP_ENDPOINT` for other apps. It now says so on
stderr and writes its spans to its file only (`configure_tracing(..., otlp=False)`).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _has_otlp() -> bool:
    try:
        return importlib.util.find_spec("opentelemetry.exporter.otlp.proto.http.trace_exporter") is not None
    except ImportError:
        return False


@pytest.mark.skipif(_has_otlp(), reason="the otlp extra is installed")
def test_vfa_demo_with_an_otlp_endpoint_and_no_extra_runs_on_its_trace_file(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}
    done = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", str(tmp_path / "demo"), "--yes"],
                          capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0 and "vfa[otlp]" in done.stderr and "go to" in done.stderr, done.stderr
    assert (tmp_path / "demo" / "trace.jsonl").stat().st_size > 0
