"""The checkpointers a journal's conversations were saved in: erasing a thread (`Agent.delete_thread`) erases its
checkpoints there before its journal entries, or refuses where one that keeps them beyond itself is gone."""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
import threading
import time
import urllib.parse
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from langgraph._internal._constants import CONFIG_KEY_CHECKPOINTER
from langgraph.checkpoint.memory import InMemorySaver

from ._exceptions import ConfigError, JournalError
from ._journal import _BUSY_WAIT_S

__all__ = ["Savers", "savers_of"]


class Savers:
    """The checkpointers (held weakly) of the guard nodes that share one journal file: those `compile` was given
    and those their runs were saved in (a graph used as a subgraph is checkpointed in its parent's saver, and one
    compiled from `Agent.builder()` in whatever the user gave), each with its store (`_store`) unless it keeps its
    checkpoints in memory alone."""

    def __init__(self, file_key: str | None = None) -> None:
        self._file_key = file_key  # the journal file's (`savers_of`), under which it is kept once it notes a durable saver
        self._held: list[tuple[Callable[[], Any], str | None]] = []  # replaced, never changed in place
        self._let_go: set[str] = set()  # the stores (`_store`) of savers let go that keep checkpoints beyond themselves
        # the SQLite file of each store that is one: a thread is erased there through a connection of vfa's own, never
        # through another request's saver (closed by that request at any time: sqlite3 crashed the process), and a
        # saver let go there refuses nothing (its file is reached all the same)
        self._files: dict[str, str] = {}
        self._seen: weakref.WeakSet[Any] = weakref.WeakSet()  # the savers noted, while they live
        self._pruned_at = 8  # the length of `_held` at its last prune on `note`
        # both read and replaced by compile, runs and delete_thread, on a service's threads at once: a saver appended
        # to a list another thread's prune has just replaced would be erased from by no one
        self._lock = threading.Lock()

    def note(self, saver: Any) -> None:
        """Remember `saver` (one with `delete_thread`; anything else is no checkpointer) as holding checkpoints."""
        if saver is None:
            return
        try:  # each run of a graph notes its saver: met before, at once, however many savers are alive
            if saver in self._seen:
                return
        except TypeError:  # no weak reference to it: looked for among those held
            if any(held() is saver for held, _ in self._held):
                return
        if not callable(getattr(saver, "delete_thread", None)):
            return
        durable, file = _store(saver)  # read before the lock
        if durable is not None and self._file_key is not None:
            # one that keeps its checkpoints beyond itself: remembered for the process, past the nodes that noted it;
            # a journal file whose nodes noted none (in memory, gone with them) is let go with its nodes
            with _SAVERS_LOCK:
                _FILE_SAVERS.setdefault(self._file_key, self)
        ref = _weakly(saver)  # a saver that cannot be referred to weakly is kept
        with self._lock:
            if durable is not None and file is not None:
                self._files[durable] = file
            try:  # noted by another thread meanwhile
                if saver in self._seen:
                    return
                self._seen.add(saver)
            except TypeError:
                if any(held() is saver for held, _ in self._held):
                    return
            # pruned once the list has doubled since last, not on every note (each a scan of every saver held: 6,000
            # savers noted took 8.6 s, now 0.08 s, the list's copy left); `held` prunes before it answers, so none is
            # let go unnoticed
            if len(self._held) >= self._pruned_at * 2:
                self._prune()
                self._pruned_at = max(len(self._held), 8)
            self._held = [*self._held, (ref, durable)]

    def note_run(self, config: Any) -> None:
        """Note the saver the run of `config` is checkpointed in, which compile may never have been given (a
        subgraph's runs are saved in its parent's, whatever it was compiled with)."""
        self.note(((config or {}).get("configurable") or {}).get(CONFIG_KEY_CHECKPOINTER))

    def held(self) -> list[Any]:
        """The savers still held, to erase a thread from; `ConfigError` while one that keeps its checkpoints
        beyond itself (a file, a server) has been let go and none on its store is held."""
        with self._lock:
            savers = self._prune()  # held strongly from here: a saver collected meanwhile would be in neither
            unmatched = sorted(self._let_go - {durable for _, durable in self._held} - self._files.keys())
        if unmatched:
            # erasing the journal alone would leave a thread a later saver on that store resumes, running its
            # committed effects again
            raise ConfigError(f"a checkpointer this agent's graphs were compiled or run with ({', '.join(unmatched)}) "
                              "is no longer held, so the thread's checkpoints in it cannot be erased from here: pass "
                              "delete_thread(thread_id, checkpointer=saver), a saver on the same store")
        return savers

    def erase(self, thread_id: str, savers: Sequence[Any], delete: Callable[[Any], Any]) -> None:
        """Erase the thread's checkpoints from each of `savers`, as `held` gave them (or the one named), and from
        the files of SQLite savers let go: a SQLite file through a connection of vfa's own, once per file; any other
        saver by `delete(saver)`. One closed meanwhile (another request's, ended since) that kept its checkpoints in
        memory took them with it; another is a `ConfigError`, raised before the journal's entries are deleted."""
        with self._lock:
            noted = {id(saver): durable for ref, durable in self._held if (saver := ref()) is not None}
            files = dict(self._files)
            paths = {files[durable] for durable in self._let_go if durable in files}
        for saver in savers:
            durable, file = (noted[id(saver)], files.get(noted[id(saver)] or "")) if id(saver) in noted else _store(saver)
            if file is not None:
                paths.add(file)
                continue
            try:
                delete(saver)
            except sqlite3.ProgrammingError:
                if not _closed(saver):
                    raise
                if durable is not None:
                    raise ConfigError(f"the checkpointer {durable} was closed while the thread was erased, so its "
                                      "checkpoints in it may be left: the journal's entries were kept; pass "
                                      "delete_thread(thread_id, checkpointer=saver), a saver on the same store") from None
        for path in sorted(paths):
            _erase_file(path, thread_id)

    def _prune(self) -> list[Any]:
        """Forget the savers no one holds, or closed, noting the kinds that keep checkpoints beyond themselves;
        returns the savers kept (lock held)."""
        # a saver closed yet still referenced (its graph kept, a request's frame not yet returned) erases nothing:
        # it is let go, as one collected is (its delete_thread raised sqlite3's "closed database")
        kept, savers = [], []
        for ref, durable in self._held:
            if (saver := ref()) is not None and not _closed(saver):
                kept.append((ref, durable))
                savers.append(saver)
            elif durable is not None:
                self._let_go.add(durable)
        self._held = kept
        return savers


def _closed(saver: Any) -> bool:
    """Whether `saver`'s SQLite connection is closed (one vfa cannot read is taken as open)."""
    conn = getattr(saver, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        return False
    try:
        conn.total_changes  # noqa: B018 (raises on a closed connection alone, from any thread)
    except sqlite3.ProgrammingError:
        return True
    return False


def _store(saver: Any) -> tuple[str | None, str | None]:
    """Where `saver` keeps its checkpoints, as a held saver must match a saver let go to stand in for it, and the
    file vfa erases a thread in itself where it is a LangGraph `SqliteSaver`'s: a SQLite saver's file (None for one
    in memory, gone with it), else its class's name (a store vfa cannot read: any saver of its kind); None for an
    `InMemorySaver`."""
    if isinstance(saver, InMemorySaver):
        return None, None
    kind = type(saver).__name__
    conn = getattr(saver, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        try:
            files = {name: file for _, name, file in conn.execute("PRAGMA database_list").fetchall()}
        except sqlite3.Error:  # closed, or bound to another thread: its kind stands for it
            return kind, None
        # a tenant's file is not another's: a saver held on one must not lift the refusal for the other
        file = files.get("main")
        if not file:
            return None, None
        # only LangGraph's tables are known (`_erase_file`): a saver of another schema on a SQLite file erases itself
        sqlite = sys.modules.get("langgraph.checkpoint.sqlite")  # loaded wherever a SqliteSaver exists
        ours = sqlite is not None and isinstance(saver, sqlite.SqliteSaver)
        return f"{kind} on {file!r}", file if ours else None
    return kind, None


def _erase_file(path: str, thread_id: str) -> None:
    """Delete a thread's checkpoints and writes from a SQLite checkpointer's file (LangGraph's `SqliteSaver` tables),
    their bytes overwritten (`secure_delete`), in one transaction; a file gone, or holding no checkpoint table yet,
    holds none of them. `JournalError`, nothing deleted, where the file cannot be written (a write lock held past
    sqlite3's usual 5 s: maybe one uncommitted on the saver's own connection, on this very thread)."""
    try:
        conn = sqlite3.connect(f"file:{urllib.parse.quote(path)}?mode=rw", uri=True, timeout=5, isolation_level=None)
    except sqlite3.OperationalError:  # removed: nothing of the thread is left in it
        return
    try:
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            deleted = sum(conn.execute(f"DELETE FROM {table} WHERE thread_id = ?", (str(thread_id),)).rowcount
                          for table in ("checkpoints", "writes"))
        except sqlite3.OperationalError as exc:
            conn.execute("ROLLBACK")
            if "no such table" in str(exc):
                return
            raise
        conn.execute("COMMIT")
        # the log's pages copied back and the log emptied, as the journal's (`EffectJournal._checkpoint`): tried again
        # while another connection keeps it from finishing (a reader on an earlier snapshot, a write under way; SQLite
        # says so in the row it returns, not by raising) for up to `_BUSY_WAIT_S`, no try waiting for a lock, then left
        # to a later checkpoint
        conn.execute("PRAGMA busy_timeout=0")
        # tried once where none of the thread's rows was there (another tenant's file let go, maybe busy: not waited for)
        deadline = time.monotonic() + (_BUSY_WAIT_S if deleted else 0)
        try:
            while conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] and time.monotonic() < deadline:
                time.sleep(0.02)
        except sqlite3.OperationalError:  # the thread's rows are gone: its old pages go at a later checkpoint
            pass
    except sqlite3.Error as exc:
        # 5 s, not longer: the lock may be this thread's own (a write the app has not committed on the saver's
        # connection), and the thread's lock is held meanwhile
        raise JournalError(f"the thread's checkpoints in {path!r} could not be erased ({exc}): the journal's "
                           "entries were kept; commit or end what writes to that file (a transaction left "
                           "open on the saver's connection?) and call delete_thread again") from exc
    finally:
        conn.close()


_SAVERS: weakref.WeakValueDictionary[Any, Savers] = weakref.WeakValueDictionary()
_FILE_SAVERS: dict[str, Savers] = {}
"""A journal file's savers, kept for the process once they noted one that keeps its checkpoints beyond itself (`note`):
the savers let go outlive the guard nodes that noted them (an app building its agent per request erases a thread in a
later request than the one that ran it). Those of a file whose nodes noted none go with the nodes (an app giving each
session a journal file of its own kept a record per file for good)."""
_SAVERS_LOCK = threading.Lock()


def savers_of(journal: Any) -> Savers:
    """The savers of the guard nodes sharing `journal`'s file, whatever journal object each was given: erasing a
    thread erases its entries in the file, those another agent journaled too, so its checkpoints in that agent's
    saver go first (left, the thread would resume with no record of what it committed)."""
    key = getattr(journal, "_key", None) or journal
    if isinstance(key, str) and key.startswith("file:"):
        # and its path: a file created where another was removed commonly gets its inode (the key), and would take
        # over its savers, erasing from another tenant's checkpoint files
        key = f"{key} {os.path.realpath(getattr(journal, 'path', ''))}"
    with _SAVERS_LOCK:
        savers = _SAVERS.get(key)
        if savers is None:
            # an in-memory journal's go with it; a file's are kept for the process once they note a durable saver
            savers = _SAVERS[key] = Savers(key if isinstance(key, str) and key.startswith("file:") else None)
        return savers


def _weakly(obj: Any) -> Callable[[], Any]:
    """A weak reference to `obj`, or one that keeps it where it takes none."""
    try:
        return weakref.ref(obj)
    except TypeError:
        return functools.partial(lambda kept: kept, obj)
