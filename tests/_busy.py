"""A thread kept busy by another call while a test's call runs: `GuardNode.busy`'s refusals."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def thread_held(node: Any, thread_id: str, call_id: str = "c2") -> Iterator[None]:
    """Hold `thread_id`'s lock on `node` (another call of the thread, inside its check or commit) for the block."""
    held, done = threading.Event(), threading.Event()

    def other_call() -> None:
        with node._turns.of(thread_id, None, call_id):
            held.set()
            done.wait(10)

    worker = threading.Thread(target=other_call)
    worker.start()
    try:
        assert held.wait(10)
        yield
    finally:
        done.set()
        worker.join()
