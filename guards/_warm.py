"""The numba kernels a guard runs, compiled (or loaded from numba's cache) before its first check.

A kernel compiles at its first use: a few seconds on a cold cache (the first process after an install,
every process of a read-only one), which, counted in a guard's time budget, would deny a clear motion for
a reason that is not the motion's. The chain calls a guard's `warm()` before its first check, outside
any budget (`vfa.GuardChain`); each set of kernels is warmed once per process, on tiny scenes of the
types the guards hand the kernels (float64 groups of boxes and circles, one trace matrix).
"""

from __future__ import annotations

import threading

import numpy as np

_lock = threading.Lock()
_warmed: set[str] = set()


def warm(kernels: str) -> None:
    """Compile the "collision" or "trace" kernels, once per process (other callers wait for the first)."""
    with _lock:
        if kernels in _warmed:
            return
        (_collision if kernels == "collision" else _trace)()
        _warmed.add(kernels)


def _collision() -> None:
    from ._scene import first_contact

    path = np.array([[[0.0, 0.0, 1.0, 1.0]], [[2.0, 0.0, 3.0, 1.0]]])
    first_contact(path, np.array([[5.0, 5.0, 6.0, 6.0]]))  # boxes with boxes: the broad-phase kernel
    first_contact(path, np.array([[5.0, 5.0, 0.5]]))  # any pair with a circle: the exact one


def _trace() -> None:
    from ._invariants import After, Always, Bounds, Conserved, Monotonic, NoContact, While
    from ._trace import Trace, check_trace
    from ._trace_expr import contact, state

    box = np.tile(np.array([[0.0, 0.0, 1.0, 1.0]]), (3, 1, 1))
    trace = Trace(x=np.array([0.0, 0.5, 1.0]), a=box, b=box + 5.0, c=np.tile(np.array([[5.0, 5.0, 0.5]]), (3, 1, 1)))
    check_trace(trace, [
        Monotonic("x"), Bounds("x", 0.0, 1.0), Conserved("x"), Always(state("x") >= state("x").prev()),
        After(contact("a", "b"), state("x") > 0, within=1), NoContact("a", "b"), NoContact("a", "c", swept=False),
        While(state("x") >= 0, NoContact("a", "c"))])
