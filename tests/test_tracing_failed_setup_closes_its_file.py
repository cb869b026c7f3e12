"""`configure_tracing` that fails leaves its trace file open.

This session's change opens the JSONL exporter's file first (`_JsonlSpanExporter(_trace_file(path))`, so
that a folder is refused before a provider exists). When the rest of the set-up then fails, the opened
file is never closed: with `OTEL_EXPORTER_OTLP_ENDPOINT` set and the `otlp` extra missing (ImportError,
the case `vfa demo` handles by calling `configure_tracing` a second time, leaking the first handle) or an
`OTEL_BSP_*` setting the SDK refuses (ValueError from the batch processor), the handle is dropped open:
Python reports `ResourceWarning: unclosed file <... trace.jsonl ...>`, and an app that retries its set-up
leaks a file descriptor each time.

Why it matters: a set-up that raises should leave nothing behind ("bad input gets a clear error and
nothing is committed"); a long-lived service that reconfigures tracing leaks descriptors.

Expected: the failed call closes the file it opened (no unclosed-file warning).

Fixed: `configure_tracing` closes the exporter it made when the rest of its set-up raises.
"""

from __future__ import annotations

import gc
import sys
import warnings

import pytest

from vfa import configure_tracing

OTLP = "opentelemetry.exporter.otlp.proto.http.trace_exporter"


@pytest.mark.parametrize("case", ["otlp-extra-missing", "bsp-setting-refused"])
def test_a_failed_configure_tracing_closes_its_trace_file(tmp_path, monkeypatch, case):
    if case == "otlp-extra-missing":
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
        monkeypatch.setitem(sys.modules, OTLP, None)  # the extra not installed: its import fails
        expected: type[Exception] = ImportError
    else:
        monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
        monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
        monkeypatch.setenv("OTEL_BSP_MAX_QUEUE_SIZE", "-1")
        expected = ValueError
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(expected):
            configure_tracing(tmp_path / "trace.jsonl", set_global=False)
        gc.collect()
    leaked = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning) and "trace.jsonl" in str(w.message)]
    assert leaked == [], leaked
