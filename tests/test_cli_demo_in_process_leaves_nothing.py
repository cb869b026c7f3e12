"""`vfa.cli.main(["demo", ...])` run in-process leaves vfa's spans sent to the demo's trace, and its files open.

`_run_demo` sets up a tracer provider of its own (`configure_tracing(trace_path, set_global=False)`), which
also makes it vfa's provider for the whole process (`use_tracer_provider`), and never shuts it down or puts
the earlier one back; its journal (`journal.db` and its `-wal` / `-shm`) is never closed. So once `main`
returns:
- an application that set no tracer provider (docs/kernel.md: "With no tracer provider set, vfa builds no spans at
  all") has every later vfa span built and written to the demo's `trace.jsonl`, which grows with the
  application's verdicts, reasons and evidence; an application with its own global provider loses vfa's spans
  to the demo's file;
- each call leaves a span-export worker thread and four descriptors (the trace, the journal and its
  two companions) open until the process exits.
The project asks that an entry point run in-process (the CLI's `main`, `tests/test_cli_main_puts_streams_back.py`)
change nothing of its caller's process beyond what it prints, and that no descriptor be held past its use.

What must hold: after `main(["demo", ...])` returns, vfa's tracing is as it was (no provider: no spans), the
demo's trace holds its own spans, and no thread or descriptor it opened is left.

Fixed: the demo's run puts vfa's provider back (`_tracing.provider_kept`), shuts its own provider down and closes
its journal when it returns.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading

import pytest

from vfa import _tracing
from vfa.cli import main


def _fds() -> set[str]:
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            out.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed meanwhile
            pass
    return out


def _demo(folder) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["demo", "--dir", str(folder), "--yes"])


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors through /proc")
def test_the_demo_run_in_process_leaves_tracing_threads_and_files_as_they_were(tmp_path):
    assert not _tracing.tracing_enabled()  # this test's process: no provider set
    assert _demo(tmp_path / "warm") == 0  # imports and LangGraph's pools made once, whatever they keep
    _tracing.use_tracer_provider(None)  # (as before the warm-up run, whatever it left)
    threads, fds = set(threading.enumerate()), _fds()

    try:
        assert _demo(tmp_path / "run") == 0
        enabled = _tracing.tracing_enabled()
    finally:
        _tracing.use_tracer_provider(None)  # the next tests' process as it was, whatever the run left

    assert not enabled, "vfa's spans still go to the demo's trace"
    left = [t.name for t in threading.enumerate() if t not in threads and t.is_alive()]
    assert not left, f"threads left running: {left}"
    opened = sorted(p for p in _fds() - fds if str(tmp_path) in p)
    assert not opened, f"descriptors left open: {opened}"
    assert (tmp_path / "run" / "trace.jsonl").read_text().count("\n") > 0  # its own spans were written
