"""The checkpointers a journal's conversations were saved in: erasing a thread (`Agent.delete_thread`) erases its
checkpoints there before its journal entries, or refuses where one that keeps them beyond itself is gone."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable
from typing import Any

from langgraph._internal._constants import CONFIG_KEY_CHECKPOINTER
from langgraph.checkpoint.memory import InMemorySaver

from ._exceptions import ConfigError
from ._run_tally import weakly

__all__ = ["Savers", "savers_of"]


class Savers:
    """The checkpointers (held weakly) of the guard nodes that share one journal file: those `compile` was given
    and those their runs were saved in (a graph used as a subgraph is checkpointed in its parent's saver, and one
    compiled from `Agent.builder()` in whatever the user gave), each with its store (`_store`) unless it keeps its
    checkpoints in memory alone."""

    def __init__(self) -> None:
        self._held: list[tuple[Callable[[], Any], str | None]] = []  # replaced, never changed in place
        self._let_go: set[str] = set()  # the stores (`_store`) of savers let go that keep checkpoints beyond themselves
        # both read and replaced by compile, runs and delete_thread, on a service's threads at once: a saver appended
        # to a list another thread's prune has just replaced would be erased from by no one
        self._lock = threading.Lock()

    def note(self, saver: Any) -> None:
        """Remember `saver` (one with `delete_thread`; anything else is no checkpointer) as holding checkpoints."""
        if saver is None or any(held() is saver for held, _ in self._held):  # each run of a graph notes its saver
            return
        if not callable(getattr(saver, "delete_thread", None)):
            return
        durable = _store(saver)  # read before the lock
        ref = weakly(saver)  # a saver that cannot be referred to weakly is kept
        with self._lock:
            self._prune()
            if all(held() is not saver for held, _ in self._held):
                self._held = [*self._held, (ref, durable)]

    def note_run(self, config: Any) -> None:
        """Note the saver the run of `config` is checkpointed in, which compile may never have been given (a
        subgraph's runs are saved in its parent's, whatever it was compiled with)."""
        self.note(((config or {}).get("configurable") or {}).get(CONFIG_KEY_CHECKPOINTER))

    def held(self) -> list[Any]:
        """The savers still held, to erase a thread from; `ConfigError` while one that keeps its checkpoints
        beyond itself (a file, a server) has been let go and none on its store is held."""
        with self._lock:
            self._prune()
            savers = [saver for ref, _ in self._held if (saver := ref()) is not None]
            unmatched = sorted(self._let_go - {durable for _, durable in self._held})
        if unmatched:
            # erasing the journal alone would leave a thread a later saver on that store resumes, running its
            # committed effects again
            raise ConfigError(f"a checkpointer this agent's graphs were compiled or run with ({', '.join(unmatched)}) "
                              "is no longer held, so the thread's checkpoints in it cannot be erased from here: pass "
                              "delete_thread(thread_id, checkpointer=saver), a saver on the same store")
        return savers

    def _prune(self) -> None:
        """Forget the savers no one holds, noting the kinds that keep checkpoints beyond themselves (lock held)."""
        for ref, durable in self._held:
            if durable is not None and ref() is None:
                self._let_go.add(durable)
        self._held = [(ref, durable) for ref, durable in self._held if ref() is not None]


def _store(saver: Any) -> str | None:
    """Where `saver` keeps its checkpoints, as a held saver must match a saver let go to stand in for it: a
    SQLite saver's file (None for one in memory, gone with it), else its class's name (a store vfa cannot read:
    any saver of its kind); None for an `InMemorySaver`."""
    if isinstance(saver, InMemorySaver):
        return None
    kind = type(saver).__name__
    conn = getattr(saver, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        try:
            files = {name: file for _, name, file in conn.execute("PRAGMA database_list").fetchall()}
        except sqlite3.Error:  # closed, or bound to another thread: its kind stands for it
            return kind
        # a tenant's file is not another's: a saver held on one must not lift the refusal for the other
        return f"{kind} on {files['main']!r}" if files.get("main") else None
    return kind


_SAVERS: weakref.WeakValueDictionary[Any, Savers] = weakref.WeakValueDictionary()
_FILE_SAVERS: dict[str, Savers] = {}
"""A journal file's savers, kept for the process: the savers let go outlive the guard nodes that noted them (an app
building its agent per request erases a thread in a later request than the one that ran it)."""
_SAVERS_LOCK = threading.Lock()


def savers_of(journal: Any) -> Savers:
    """The savers of the guard nodes sharing `journal`'s file, whatever journal object each was given: erasing a
    thread erases its entries in the file, those another agent journaled too, so its checkpoints in that agent's
    saver go first (left, the thread would resume with no record of what it committed)."""
    key = getattr(journal, "_key", None) or journal
    with _SAVERS_LOCK:
        savers = _SAVERS.get(key)
        if savers is None:
            savers = _SAVERS[key] = Savers()
            if isinstance(key, str) and key.startswith("file:"):  # not an in-memory journal's (gone with it)
                _FILE_SAVERS[key] = savers
        return savers
