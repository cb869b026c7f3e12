"""`vfa demo` ends in a traceback when an OTLP endpoint is set without the extra and an OTEL_BSP_* setting is out of range.

`_run_demo` catches three failures of `configure_tracing`: `ImportError` (an OTLP endpoint set for other
apps, the extra not installed: it calls `configure_tracing(..., otlp=False)` again, the demo's trace
going to its file only), `ConfigError` (the trace path is a folder) and `ValueError` (the SDK refuses
an `OTEL_BSP_*` setting). The second call runs inside the `ImportError` clause, which its
siblings do not cover: with `OTEL_EXPORTER_OTLP_ENDPOINT` set (no `vfa[otlp]`) and
`OTEL_BSP_MAX_QUEUE_SIZE=0`, the first call fails on the import (before any batch processor is made),
the second on the setting, and the demo prints a traceback ("ValueError: max_queue_size must be a
positive integer.") instead of its one line naming the OTEL_ variables (exit 2).

Expected: the same clear error as without the endpoint.

Fixed: the first call and its fallback both run inside the `try` whose clauses name the failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_a_refused_setting_after_the_otlp_fallback_is_a_clear_error(tmp_path):
    pytest.importorskip("opentelemetry.sdk")
    try:
        import opentelemetry.exporter.otlp.proto.http.trace_exporter  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("the OTLP extra is installed: no fallback")
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_BSP_MAX_QUEUE_SIZE": "0"}
    proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert "Traceback" not in proc.stderr, proc.stderr[-400:]
    assert proc.returncode == 2 and "OTEL_BSP" in proc.stderr, proc.stderr
