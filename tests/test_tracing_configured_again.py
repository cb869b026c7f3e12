"""`configure_tracing(set_global=False)` called again shuts down the provider the earlier call made: its
spans are written to its file and its worker thread ends, rather than one thread left per call."""

from __future__ import annotations

import json
import threading

from vfa import _tracing, configure_tracing


def _workers() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("OtelBatchSpan"))


def test_second_configuration_ends_the_first(tmp_path):
    try:
        configure_tracing(tmp_path / "a.jsonl", set_global=False, otlp=False)
        with _tracing.span("first", {}):
            pass
        before = _workers()
        for i in range(5):
            configure_tracing(tmp_path / f"b{i}.jsonl", set_global=False, otlp=False)
        assert before == 1 and _workers() == 1  # one worker, the current provider's: none left behind
        names = [json.loads(line)["name"] for line in (tmp_path / "a.jsonl").read_text().splitlines()]
        assert names == ["first"]  # written out at shutdown, not lost with the first provider
    finally:
        _tracing._state.owned.shutdown()
        _tracing._state.owned = None
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None


def test_a_block_configuring_its_own_leaves_the_application_provider_running(tmp_path):
    try:
        configure_tracing(tmp_path / "app.jsonl", set_global=False, otlp=False)
        app = _tracing._state.owned
        with _tracing.provider_kept():  # as `vfa demo` run in-process
            demo = configure_tracing(tmp_path / "demo.jsonl", set_global=False, otlp=False)
            demo.shutdown()
        assert _tracing._state.owned is app
        with _tracing.span("after", {}):
            pass
        app.force_flush()
        names = [json.loads(line)["name"] for line in (tmp_path / "app.jsonl").read_text().splitlines()]
        assert names == ["after"]  # not shut down by the block's configuration
    finally:
        _tracing._state.owned.shutdown()
        _tracing._state.owned = None
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
