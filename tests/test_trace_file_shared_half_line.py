"""A trace file shared by two processes: a half line another writer left glues this process's next span onto it.

README / docs/kernel.md (Tracing): `configure_tracing()` writes spans to `.vfa/trace.jsonl`, JSON lines, one
span a line; every process of an app started in one folder (workers of a server, `vfa demo` beside the app)
appends to that one default path. `tests/test_trace_file_full_disk.py` holds that a run started after a half
written line writes whole lines.

How it breaks: `_JsonlSpanExporter` looks at how the file ends only when it opens it (and after a write of its
own that failed). A writer in another process that is cut off inside a line after that (killed inside a
batch's write, which the kernel stops between pages on a fatal signal; a disk that filled) leaves the file
ending in a half line, and this process's next batch is appended to it: its first span and the half line
run together on one line, which no reader (`json.loads` per line) can read.

What must hold: whatever another writer left, each span this exporter writes is on a line of its own.

Fixed: the JSONL exporter checks how the file ends before each batch (_ends_mid_line), not only at open.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from vfa._tracing import _JsonlSpanExporter


def _names(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        try:
            names.append(json.loads(line)["name"])
        except ValueError:
            continue
    return names


def test_a_half_line_left_by_another_process_does_not_swallow_the_next_span(tmp_path):
    path = tmp_path / "trace.jsonl"
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(_JsonlSpanExporter(path)))
    tracer = provider.get_tracer("t")
    try:
        with tracer.start_as_current_span("first"):
            pass
        # another process appending to the same trace, cut off inside its line
        subprocess.run([sys.executable, "-c", "import os, sys; fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND); "
                        "os.write(fd, b'{\"name\": \"cut off in another proc')", str(path)], check=True)
        for name in ("second", "third"):
            with tracer.start_as_current_span(name):
                pass
    finally:
        provider.shutdown()
    assert _names(path) == ["first", "second", "third"], path.read_text()
    assert path.read_text().endswith("\n")
