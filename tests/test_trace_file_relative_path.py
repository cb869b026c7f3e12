"""A trace file named by a relative path (the default, `.vfa/trace.jsonl`) keeps its spans after the process
changes its working directory.

`configure_tracing()` opens the file at the path it is given, relative to the working directory of that
moment. Since the exporter learned to follow a rotated file (`_JsonlSpanExporter._follow`), it stats
`self.path` before each batch; a relative path is then read against the *current* working directory, so a
process that changes it (a service that `chdir`s into a job's folder, a daemon that goes to `/`) finds "no
file" there and starts a new trace in that folder, making `.vfa/` wherever it went (or, where it may not
write, drops every later batch), while the trace it opened gets nothing more. `logging`'s
`WatchedFileHandler`, which `_follow` copies, makes its path absolute for this very reason.

What must hold: the spans keep going to the file the path named when tracing was configured; no trace
file is made in the folder the process moved to.

Fixed: the exporter holds os.path.abspath(path), as logging's WatchedFileHandler does.
"""

from __future__ import annotations

import json
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from vfa._tracing import _JsonlSpanExporter


def _names(path: Path) -> list[str]:
    return [json.loads(line)["name"] for line in path.read_text().splitlines()]


def test_spans_stay_in_the_file_a_relative_path_named_after_a_chdir(tmp_path, monkeypatch):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(home)
    exporter = _JsonlSpanExporter(Path(".vfa/trace.jsonl"))
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("t")
    try:
        with tracer.start_as_current_span("before"):
            pass
        monkeypatch.chdir(elsewhere)
        with tracer.start_as_current_span("after"):
            pass
    finally:
        provider.shutdown()
    assert not (elsewhere / ".vfa").exists(), "a new trace was started in the folder the process moved to"
    assert _names(home / ".vfa" / "trace.jsonl") == ["before", "after"]
