"""After `vfa.testing.capture_spans()` vfa's guard metrics go to the capture's dead reader.

Guarantee: `capture_spans()` captures vfa's spans (and metrics) for its block only; after it, vfa's
spans and its metrics `vfa.guard.verdicts` and `vfa.guard.duration` (README, Tracing) go where they
went before, to the providers the application gave (`use_tracer_provider`, or the global ones).

How it breaks: `capture_spans` saves and restores `_state.provider` and `_state.tracer` only; the
counter and histogram `use_tracer_provider` made on the capture's `MeterProvider` stay. Spans after the
block reach the application's provider again, but every guard verdict is counted on the capture's
in-memory reader, which nobody reads: the application's metrics stop at the first test (or notebook
cell) that used `capture_spans`.

Cause: vfa/testing.py `capture_spans` (`previous = _tracing._state.provider, _tracing._state.tracer`).
Fix: save and restore the instruments too.

Fixed: capture_spans saves and restores the metric instruments with the tracer.
"""

from __future__ import annotations

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from vfa import ALLOW, GuardChain, GuardContext, Proposal, guard
from vfa import _tracing
from vfa.testing import capture_spans


@guard
def ok(p, c):
    return ALLOW


def _verdicts(reader: InMemoryMetricReader) -> int:
    data = reader.get_metrics_data()
    if data is None:
        return 0
    return sum(point.value for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics
               if m.name == "vfa.guard.verdicts" for point in m.data.data_points)


def _decide() -> None:
    proposal = Proposal(call_id="c", tool="t", args={})
    result = GuardChain([ok]).verify(proposal, GuardContext())
    with _tracing.span("execute_tool t", {}):
        _tracing.record_decisions(result.decisions, "t", "c")


def test_metrics_go_back_to_the_applications_meter_after_capture_spans():
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    reader = InMemoryMetricReader()
    _tracing.use_tracer_provider(provider, MeterProvider(metric_readers=[reader]))
    try:
        _decide()
        assert _verdicts(reader) == 1
        with capture_spans() as captured:
            _decide()
            assert _verdicts(captured.metric_reader) == 1
        _decide()
        # spans came back to the application's provider: so must the verdicts it counts
        assert [s.name for s in exported.get_finished_spans()].count("run_guardrail ok") == 2
        assert _verdicts(reader) == 2
    finally:
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
