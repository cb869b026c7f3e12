"""Benchmarks: each `main(argv)` prints its table and writes its headline figures with `--json PATH`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

__all__ = ["at_least", "json_path"]


def json_path(value: str) -> Path:
    """The `--json PATH` argument: refused when parsed if the file cannot be written, not after the run."""
    path = Path(value)
    try:  # exists() too: on Python 3.11 it raises for a name too long or a folder that cannot be searched
        existed = path.exists()
        with path.open("a"):
            pass
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot write {value} ({exc.strerror or exc})") from exc
    if not existed:  # the check leaves no file behind
        path.unlink()
    return path


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than `minimum`, refused when parsed (a count of steps or
    repetitions out of range ended the run in a traceback, or was taken for the default)."""

    def count(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"{n} is below the least this benchmark can measure, {minimum}")
        return n

    return count
