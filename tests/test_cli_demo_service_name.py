"""Red team 142: `vfa demo` ignores `OTEL_SERVICE_NAME`, which the README says names the service.

docs/kernel.md ("What you get", Tracing): "`vfa.configure_tracing()` writes spans to `.vfa/trace.jsonl`, and
over OTLP too when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (... `vfa demo` keeps to its file where the
extra is missing); `OTEL_SERVICE_NAME` names the service." The demo calls
`configure_tracing(..., service_name="vfa-demo")`, and an explicit name wins over the environment, so
`OTEL_SERVICE_NAME=payments-eval vfa demo` sends (and writes) its spans as "vfa-demo": a collector
receiving several services cannot find the run under the name its operator gave it.

Fixed: `vfa demo` names its service by `OTEL_SERVICE_NAME` when it is set, else "vfa-demo".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _services(tmp_path: Path, env_name: str | None) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["PYTHONPATH"] = str(ROOT)
    if env_name is not None:
        env["OTEL_SERVICE_NAME"] = env_name
    work = tmp_path / (env_name or "default")
    proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", str(work)], cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {json.loads(line)["service"] for line in (work / "trace.jsonl").read_text().splitlines()}


def test_otel_service_name_names_the_demo_service(tmp_path):
    assert _services(tmp_path, "payments-eval") == {"payments-eval"}


def test_without_it_the_demo_is_vfa_demo(tmp_path):
    assert _services(tmp_path, None) == {"vfa-demo"}
