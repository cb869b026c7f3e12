"""The guard metrics reach the meter provider they are said to go to, with no tracer provider set.

What must hold (README, Tracing: "metrics `vfa.guard.verdicts` and `vfa.guard.duration` (on the global meter
provider, or the one given to `use_tracer_provider`: set one to export them; `configure_tracing` sets up spans
alone)"): an application that exports metrics alone (a Prometheus reader on its `MeterProvider`, no tracing)
gets vfa's verdict counts and guard durations.

`vfa/_tracing.py` `record_decisions` returns before anything is recorded when `_tracer()` is None, i.e. when no
tracer provider is set: the counter and histogram are only ever fed alongside spans, so a meter provider
set alone (globally, or given as `use_tracer_provider(None, meter_provider)`) never sees a point.

Fixed: with no tracer, record_decisions records the metrics once a meter provider is given or set globally
(_tracing._metered); no spans are built.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from vfa import Agent, Deny, _tracing, effect
from vfa.testing import FunctionGuard, ScriptedModel


def _denied_once() -> None:
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 1}), "ok"]), [transfer],
                  guards=[FunctionGuard(lambda p, c: Deny(reason="no"), name="limit")])
    agent.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "pay")]},
                                                        {"configurable": {"thread_id": "t"}})


def _names(reader: InMemoryMetricReader) -> set[str]:
    data = reader.get_metrics_data()
    return {m.name for rm in (data.resource_metrics if data else ()) for sm in rm.scope_metrics for m in sm.metrics}


def test_metrics_go_to_the_meter_provider_given_without_a_tracer_provider():
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)  # no spans anywhere
    state = _tracing._state
    previous = state.provider, state.tracer, state.verdicts, state.latency
    reader = InMemoryMetricReader()
    _tracing.use_tracer_provider(None, MeterProvider(metric_readers=[reader]))
    try:
        _denied_once()
    finally:
        state.provider, state.tracer, state.verdicts, state.latency = previous
    assert {"vfa.guard.verdicts", "vfa.guard.duration"} <= _names(reader), _names(reader)


def test_metrics_go_to_the_global_meter_provider_without_a_tracer_provider():
    # a process of its own: the global meter provider is set once per process
    script = textwrap.dedent("""
        from opentelemetry import metrics
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        from tests.test_tracing_metrics_without_spans import _denied_once, _names
        _denied_once()
        print(sorted(_names(reader)))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr[-2000:]
    assert "vfa.guard.verdicts" in out.stdout and "vfa.guard.duration" in out.stdout, out.stdout
