"""`vfa demo` ends in a traceback when an OTEL_BSP_* setting of the environment is out of range.

Red team 154. The OTel SDK reads `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` and the
like when `configure_tracing` builds its batch processor, and raises `ValueError("max_queue_size must
be a positive integer.")` for `-1` or `0`: the demo prints a traceback (exit 1) that names neither the
variable nor the demo. The demo already treats one OTel setting it cannot use (an OTLP endpoint
without the extra) with a line saying so; a setting it cannot use should be a clear error too.

Fixed: `vfa demo` catches the SDK's `ValueError` and prints one line naming the `OTEL_` variables set (exit 2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("env", [{"OTEL_BSP_MAX_QUEUE_SIZE": "-1"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "0"}],
                         ids=["queue", "batch"])
def test_an_otel_setting_the_sdk_refuses_is_a_clear_error(tmp_path, env):
    proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert "Traceback" not in proc.stderr, proc.stderr[-400:]
    assert proc.returncode == 2 and proc.stderr.startswith("vfa demo:") and "OTEL_BSP" in proc.stderr, proc.stderr
