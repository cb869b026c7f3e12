"""`configure_tracing()` run again in one process (a notebook's cell re-run) returns the provider it set.

OpenTelemetry sets a global tracer provider once per process. A second call with the same settings used to be
refused as if the application had set a provider of its own ("a global tracer provider is already set"),
though vfa had set it. What must hold: the same settings return the provider the first call set, and vfa's
spans still reach its file; other settings are refused naming the earlier call and what to do instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys
from vfa import Agent, ConfigError, configure_tracing, effect
from vfa.testing import ScriptedModel

first = configure_tracing(sys.argv[1])
again = configure_tracing(sys.argv[1])

@effect
def ping(n: int) -> str:
    '''Ping.'''
    return "pong"

Agent(ScriptedModel([("ping", {"n": 1}), "ok"]), [ping], name="pinger").compile().invoke({"messages": [("user", "go")]})
try:
    configure_tracing(sys.argv[2])
    other = None
except ConfigError as exc:
    other = str(exc)
first.force_flush()
print(json.dumps({"same": first is again, "other": other}))
"""


def test_configure_tracing_again_with_the_same_settings_returns_its_provider(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["PYTHONPATH"] = str(ROOT)
    trace_file = tmp_path / "trace.jsonl"
    proc = subprocess.run([sys.executable, "-c", CHILD, str(trace_file), str(tmp_path / "other.jsonl")], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["same"] is True
    assert out["other"] is not None and "already set the global tracer provider" in out["other"]
    assert "set_global=False" in out["other"]
    names = [json.loads(line)["name"] for line in trace_file.read_text().splitlines()]
    assert "invoke_agent pinger" in names and "execute_tool ping" in names
    assert not (tmp_path / "other.jsonl").exists()
