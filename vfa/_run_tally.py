"""Counting keys per run of a LangGraph task: what tells identical calls of one run apart, the same again when
LangGraph runs the task again (a resume, a replay, a retry's attempt)."""

from __future__ import annotations

import collections
import threading
import weakref
from collections.abc import Mapping
from typing import Any

from langgraph._internal._constants import CONFIG_KEY_RUNTIME, CONFIG_KEY_SCRATCHPAD

__all__ = ["RunTally"]


class RunTally:
    """Per run of a task, how many times each key was met in it: kept while the run is alive (held by its mark,
    weakly), and for the last `size` tasks where a run has no mark to hold weakly."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._lock = threading.Lock()
        # a run's mark -> per task id, its attempt and each key's count. The mark is held weakly (the scratchpad
        # holds the run's answers and the writes it resumed from, which must not outlive the thread's erasure), so
        # the counts go with the run, and a run still going keeps them whatever other runs count meanwhile: more
        # tasks than any bound (a server's other conversations), or another run of its very task (two resumes of
        # one thread run one task, under one id, from one checkpoint), which one slot per task would swap in
        self._runs: weakref.WeakKeyDictionary[Any, dict[str, tuple[Any, dict[str, int]]]] = \
            weakref.WeakKeyDictionary()
        # task id -> its attempt and each key's count, for a run with no mark to hold weakly (the last `size`)
        self._tasks: collections.OrderedDict[str, tuple[Any, dict[str, int]]] = collections.OrderedDict()

    def count(self, task: str, configurable: Mapping[str, Any], key: str) -> int:
        """How many times `key` was met before in this run of `task` (its `configurable`'s): 0 the first time."""
        mark = _run_mark(configurable.get(CONFIG_KEY_SCRATCHPAD))  # a retry shares it: told apart by its attempt
        attempt = getattr(getattr(configurable.get(CONFIG_KEY_RUNTIME), "execution_info", None), "node_attempt", None)
        with self._lock:
            try:
                tasks = self._runs.setdefault(mark, {})
            except TypeError:  # no weak reference to it (no scratchpad): one run per task, the last `size` tasks
                held = self._tasks.pop(task, None)
                if held is None or held[0] != attempt:
                    held = (attempt, {})
                self._tasks[task] = held
                while len(self._tasks) > self._size:
                    self._tasks.popitem(last=False)
            else:
                held = tasks.get(task)
                if held is None or held[0] != attempt:
                    held = tasks[task] = (attempt, {})
            at = held[1].get(key, 0)
            held[1][key] = at + 1
        return at


def _run_mark(run: Any) -> Any:
    """What marks one run of a task: the scratchpad's own `get_null_resume`, a function made for it alone (the
    scratchpad takes no weak reference), else the scratchpad itself."""
    mark = getattr(run, "get_null_resume", None)
    return run if mark is None else mark
