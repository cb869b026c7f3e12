"""Counting keys per run of a LangGraph task: what tells identical calls of one run apart, the same again when
LangGraph runs the task again (a resume, a replay, a retry's attempt)."""

from __future__ import annotations

import collections
import functools
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from langgraph._internal._constants import CONFIG_KEY_RUNTIME, CONFIG_KEY_SCRATCHPAD

__all__ = ["RunTally", "weakly"]


class RunTally:
    """Per task (the last `size` tasks), the run it counts for and how many times each key was met in it."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._lock = threading.Lock()
        # task id -> its run (held weakly: the scratchpad holds the run's answers and the writes it resumed from,
        # which must not outlive the thread's erasure; a new run is never given the identity of one gone), its
        # attempt, and each key's count
        self._tasks: collections.OrderedDict[str, tuple[Callable[[], Any], Any, dict[str, int]]] = \
            collections.OrderedDict()

    def count(self, task: str, configurable: Mapping[str, Any], key: str) -> int:
        """How many times `key` was met before in this run of `task` (its `configurable`'s): 0 the first time."""
        mark = _run_mark(configurable.get(CONFIG_KEY_SCRATCHPAD))  # a retry shares it: told apart by its attempt
        attempt = getattr(getattr(configurable.get(CONFIG_KEY_RUNTIME), "execution_info", None), "node_attempt", None)
        with self._lock:
            held = self._tasks.pop(task, None)
            if held is None or held[0]() is not mark or held[1] != attempt:
                held = (weakly(mark), attempt, {})
            at = held[2].get(key, 0)
            held[2][key] = at + 1
            self._tasks[task] = held
            while len(self._tasks) > self._size:
                self._tasks.popitem(last=False)
        return at


def _run_mark(run: Any) -> Any:
    """What marks one run of a task: the scratchpad's own `get_null_resume`, a function made for it alone (the
    scratchpad takes no weak reference), else the scratchpad itself."""
    mark = getattr(run, "get_null_resume", None)
    return run if mark is None else mark


def weakly(obj: Any) -> Callable[[], Any]:
    """A weak reference to `obj`, or one that keeps it where it takes none."""
    try:
        return weakref.ref(obj)
    except TypeError:
        return functools.partial(lambda kept: kept, obj)
