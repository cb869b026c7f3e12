"""The overhead benchmark's traced run (c) stops its clock only once its spans are written.

Found (red team 217): vfa's JSONL span exporter is batched (the SDK's worker writes 512 spans at a time,
the rest after 5 s or at a flush), and `run_once` stopped the clock of the traced run as soon as the
graph returned: of the 801 spans of a 200-step run, 289 were still queued, and the worker wrote them
during the runs that followed it (the inline run, the next repetition's LangGraph baseline). Part of
(c)'s cost was charged to (d) and to the baseline (a). What must hold: when `run_once` returns for a
traced run, every span it made is in the file; an untraced run writes none.

Fixed: the traced run's clock stops after a force_flush; spans go to the file only (otlp=False); the provider
is shut down.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import overhead
from vfa import _tracing


def _lines(path: Path) -> int:
    return sum(1 for _ in path.open()) if path.exists() else 0


def test_the_traced_run_has_written_its_spans_when_its_time_is_taken(tmp_path):
    trace = tmp_path / "trace.jsonl"
    provider = _tracing.configure_tracing(trace, set_global=False, otlp=False)
    try:
        overhead.run_once("vfa+trace", 10, tmp_path, 0)  # as main runs (c): vfa's spans go to the provider
        written = _lines(trace)
        provider.force_flush()
        assert written > 0 and written == _lines(trace), (written, _lines(trace))
        _tracing.use_tracer_provider(None)
        overhead.run_once("vfa", 10, tmp_path, 0)  # (b): no spans
        provider.force_flush()
        assert _lines(trace) == written
    finally:
        _tracing.use_tracer_provider(None)
        provider.shutdown()
