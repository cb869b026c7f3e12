"""Benchmarks: each `main(argv)` prints its table and writes its headline figures with `--json PATH`."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["json_path"]


def json_path(value: str) -> Path:
    """The `--json PATH` argument: refused when parsed if the file cannot be written, not after the run."""
    path = Path(value)
    existed = path.exists()
    try:
        with path.open("a"):
            pass
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot write {value} ({exc.strerror or exc})") from exc
    if not existed:  # the check leaves no file behind
        path.unlink()
    return path
