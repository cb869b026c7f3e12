"""`vfa.cli.main()` called in-process leaves the caller's standard output and error reconfigured for good.

Since red team 154, `main` starts with `stream.reconfigure(errors="backslashreplace")` on `sys.stdout` and
`sys.stderr`, so the demo and `vfa journal` print characters the output cannot encode as escapes instead of
failing halfway. It never puts them back: a program (or a notebook, or a test) that calls `main([...])` on
its own text streams has them changed after `main` returns, so its own later output of a character the
stream cannot encode is silently written as an escape instead of raising, and a stream `main` cannot
reconfigure (one the caller closed) makes `main` fail with a `ValueError` traceback before it reads its
arguments.

Why it matters: an entry point run in-process should not change its caller's process-wide state beyond what
it prints; the escapes are `main`'s own choice for its own output.

Expected: the streams' error handlers are as they were once `main` returns, and what `main` printed meanwhile
was escaped.

Fixed: `main` puts back each stream's error handler once the command returns (`_main`), and leaves a
stream it cannot reconfigure as it is.
"""

from __future__ import annotations

import io
import sys

import pytest

from vfa.cli import main


def test_main_puts_the_streams_back(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["journal", str(tmp_path / "µ" / "journal.db")]) != 0  # names a path it cannot encode
    err.flush()
    assert b"\\xb5" in err.buffer.getvalue()  # printed as its escape meanwhile
    assert (out.errors, err.errors) == ("strict", "strict"), "main left the caller's streams reconfigured"
