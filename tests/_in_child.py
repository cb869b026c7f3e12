"""Run a scripted agent's work in a child process killed at a bound: a walk that runs on stops nothing else."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any


def in_child(run: Callable[..., None], *args: Any, bound_s: float) -> tuple[bool, Any, float]:
    """Fork a child that calls `run(conn, *args)` (it sends its answer on `conn`): whether it answered within
    `bound_s`, its answer (None if not), and the time taken."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=run, args=(child, *args), daemon=True)
    t0 = time.perf_counter()
    proc.start()
    try:
        finished = parent.poll(bound_s)
        return finished, parent.recv() if finished else None, time.perf_counter() - t0
    finally:
        proc.kill()
        proc.join()
