"""The JSONL trace file on a full disk: an exit that raises, and lines run together.

Guarantee: the trace file is no durable record (the journal is): a disk that fills drops spans but
never fails the program, and `trace.jsonl` stays JSON lines, one span a line, that a reader of the
file (README: "spans to a local JSONL file"; `vfa demo` run again appends to it) can read.

How it breaks:
- A failed write leaves its text in the file object's buffer; `_JsonlSpanExporter.shutdown` closes the
  file, whose flush raises `OSError: [Errno 28] No space left on device` out of `provider.shutdown()`,
  and out of the SDK's exit hook as "Exception ignored in atexit callback" with its traceback: a
  program that committed everything ends with a traceback that names no file.
- A disk that filled in the middle of a line leaves the file ending without its newline (the process
  ended, the rest was never written). The next run opens the file for appending and writes its first
  span onto that half line: two spans on one line, neither readable; every later reader of the file
  (`json.loads` per line) fails there.

Cause: vfa/_tracing.py `_JsonlSpanExporter.shutdown` (`self._file.close()` unguarded) and `__init__`
(appends after whatever the file ends with). Fix: a close that cannot flush drops what it could not
write (the file is closed even so); a file that does not end a line is given its newline before the
first new span.

Fixed: the file is written unbuffered, each batch in one loop, and a line cut by a full disk is ended before
the next batch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from vfa._tracing import _JsonlSpanExporter


def _provider(path: Path) -> tuple[TracerProvider, _JsonlSpanExporter]:
    exporter = _JsonlSpanExporter(path)
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a disk that is always full)")
def test_shutting_down_on_a_full_disk_does_not_raise():
    provider, exporter = _provider(Path("/dev/full"))
    with provider.get_tracer("t").start_as_current_span("commit"):
        pass  # its export fails (logged by the SDK); the span's text is left in the file's buffer
    provider.shutdown()  # must not raise: the program's work is done and journaled
    assert exporter._file.closed


def test_a_run_after_a_half_written_line_writes_whole_lines(tmp_path):
    path = tmp_path / "trace.jsonl"
    path.write_text('{"name": "earlier", "trace_id": "00\n{"name": "cut off by a full di')  # no newline at the end
    provider, _ = _provider(path)
    for name in ("first", "second"):
        with provider.get_tracer("t").start_as_current_span(name):
            pass
    provider.shutdown()
    lines = path.read_text().split("\n")
    assert lines[-1] == ""  # the file ends a line
    readable = []
    for line in lines[:-1]:
        try:
            readable.append(json.loads(line)["name"])
        except ValueError:
            continue
    assert readable == ["first", "second"], path.read_text()
