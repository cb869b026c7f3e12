"""A JSONL trace file moved or removed (log rotation) keeps receiving spans where no one reads them.

`configure_tracing()` writes spans to `.vfa/trace.jsonl` through `_JsonlSpanExporter`, which opens the file
once, for the life of the process (vfa/_tracing.py `_JsonlSpanExporter.__init__`). A service that runs
for weeks appends to it without end; the usual remedy, logrotate (or an operator's `mv`/`rm`), moves the
file away and expects the writer to make a new one at the path, as Python's `WatchedFileHandler` does.
The exporter never looks again: every later span goes to the renamed file (`trace.jsonl.1`, compressed or
shipped and deleted next), or, once that is removed, to a deleted file whose space is never freed while the
process lives. `trace.jsonl` is never made again, so its readers see no span of the process from then on.

What must hold: once the file at the path is moved or removed, the next spans are written to a new file at
the path (its owner's alone, as a file the exporter makes is), and the moved file gets no more.

Fixed: before each batch the exporter checks that its file is still the one at the path, and opens the path
again where it is not (`_JsonlSpanExporter._follow`, as `logging.handlers.WatchedFileHandler` does).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from vfa._tracing import _JsonlSpanExporter


def _names(path: Path) -> list[str]:
    return [json.loads(line)["name"] for line in path.read_text().splitlines()]


@pytest.mark.parametrize("rotate", ["moved", "removed"])
def test_spans_go_to_a_new_file_once_the_trace_is_rotated(tmp_path, rotate):
    path = tmp_path / "trace.jsonl"
    exporter = _JsonlSpanExporter(path)
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("t")
    try:
        with tracer.start_as_current_span("before"):
            pass
        old = tmp_path / "trace.jsonl.1"
        os.rename(path, old)
        if rotate == "removed":
            old.unlink()
        with tracer.start_as_current_span("after"):
            pass
    finally:
        provider.shutdown()
    assert path.exists(), "no trace file at the path after it was rotated: the spans went to the old one"
    assert _names(path) == ["after"]
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    if rotate == "moved":
        assert _names(old) == ["before"]
