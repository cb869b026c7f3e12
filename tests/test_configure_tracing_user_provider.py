"""`configure_tracing()` takes vfa's spans away from the application's own tracer provider.

Guarantee: where an application has already set its own global `TracerProvider`, vfa never replaces
it: vfa's spans keep reaching the application's exporters, under the application's own spans, once
each. README (Tracing): "`vfa.configure_tracing()` writes spans to `.vfa/trace.jsonl`"; its docstring:
"Set up the OTel SDK the standard way". OpenTelemetry lets a global provider be set once only.

How it breaks: with the application's provider global, `configure_tracing(path)` (default
`set_global=True`) builds a second provider, whose `trace.set_tracer_provider` OpenTelemetry refuses
with a log line only ("Overriding of current TracerProvider is not allowed"), then points vfa at that
second provider all the same (`use_tracer_provider(provider)`). From then on the application's
collector gets its request span with no `invoke_agent`, `execute_tool` or `run_guardrail` under it, and
the file gets vfa's spans parented to a request span it never holds (an OTLP endpoint set: vfa's
spans go out a second way, under another service name).

Cause: vfa/_tracing.py `configure_tracing` (`if set_global: trace.set_tracer_provider(provider)` then
`use_tracer_provider(provider)` whether or not the provider became global). Fix: refuse it
(`ConfigError` naming the problem, before any file is opened) when a global provider is already set
and `set_global` asks to replace it; vfa keeps sending its spans to the application's provider.

Run in a child process: a global tracer provider can be set once per process.

Fixed: configure_tracing refuses (ConfigError) to replace a global provider an application set; vfa demo
traces with a provider of its own (set_global=False).
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
sys.path.insert(0, sys.argv[2])
from conftest import Bank, config
from langgraph.checkpoint.memory import InMemorySaver
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from vfa import Agent, ConfigError, configure_tracing
from vfa.testing import ScriptedModel

exported = InMemorySpanExporter()
app_provider = TracerProvider()
app_provider.add_span_processor(SimpleSpanProcessor(exported))
trace.set_tracer_provider(app_provider)

try:
    configure_tracing(sys.argv[1])
    refused = None
except ConfigError as exc:
    refused = str(exc)

bank = Bank(1000)
transfer, lookup = bank.tools()
app = Agent(ScriptedModel([("lookup", {"who": "bob"}), "done"]), [transfer, lookup], bank.guards(),
            name="payments").compile(checkpointer=InMemorySaver())
with trace.get_tracer("app").start_as_current_span("request"):
    app.invoke({"messages": [("user", "hi")]}, config("t"))
spans = [{"name": s.name, "id": s.context.span_id, "parent": s.parent.span_id if s.parent else None}
         for s in exported.get_finished_spans()]
print(json.dumps({"refused": refused, "spans": spans}))
"""


def test_configure_tracing_keeps_vfa_spans_with_the_applications_provider(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["PYTHONPATH"] = str(ROOT)
    trace_file = tmp_path / "trace.jsonl"
    proc = subprocess.run([sys.executable, "-c", CHILD, str(trace_file), str(ROOT / "tests")], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    spans = out["spans"]
    names = [s["name"] for s in spans]
    # the application's exporter gets vfa's spans, each once, under its own request span
    assert names.count("invoke_agent payments") == 1, names
    assert names.count("execute_tool lookup") == 1, names
    by_name = {s["name"]: s for s in spans}
    assert by_name["invoke_agent payments"]["parent"] == by_name["request"]["id"]
    assert by_name["execute_tool lookup"]["parent"] == by_name["invoke_agent payments"]["id"]
    if out["refused"] is not None:  # refused: said so by name, and no trace file left half set up
        assert "provider" in out["refused"]
        assert not trace_file.exists()
