"""The effect journal: an append-only SQLite record of proposals, verdicts, commits and denials.

A commit is exactly once per (thread id, call id). The write-ahead record `started` is durable before
the effect runs and `committed` (with the result) after, so a replayed node returns the recorded
result instead of running the effect again, and a crash between the two is visible on resume.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal, Self

from ._jsontext import json_text
from ._effects import _open_commit, caller_gone
from ._exceptions import CallInFlightError, JournalError, VfaError, error_text
from ._owners import Running, alive, owner
from ._proposal import CommitRecord

__all__ = ["EffectJournal", "JournalEntry", "TERMINAL"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    ts        REAL    NOT NULL,
    thread_id TEXT    NOT NULL,
    call_id   TEXT    NOT NULL,
    tool      TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    data      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_call ON journal (thread_id, call_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS journal_committed_once ON journal (thread_id, call_id) WHERE kind = 'committed';
CREATE UNIQUE INDEX IF NOT EXISTS journal_started_once ON journal (thread_id, call_id) WHERE kind = 'started';
CREATE INDEX IF NOT EXISTS journal_started_seq ON journal (thread_id, seq) WHERE kind = 'started';
CREATE INDEX IF NOT EXISTS journal_restarted_seq ON journal (thread_id, seq) WHERE kind = 'restarted';
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the vfa journal is append-only'); END;
"""

_NO_DELETE = """CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'the vfa journal is append-only: delete a thread with EffectJournal.delete_thread'); END"""
_SCHEMA += _NO_DELETE + ";\n"

SCHEMA_VERSION = 1
"""The journal's schema, as its file's `PRAGMA user_version` records it (0: written before versions were
recorded, read as this one); a file of a later version is refused, as an earlier vfa cannot read it."""


def _vfa_table(db: sqlite3.Connection, columns: tuple[str, ...]) -> bool:
    """Whether the file's table `journal` is a vfa journal of some version: vfa's columns (a later vfa may add
    some), or its append-only trigger (one that renamed a column keeps it); another app's table has neither."""
    return bool(columns) and (set(_COLUMNS) <= set(columns) or db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'journal_no_update'").fetchone() is not None)


def _later(path: str, db: sqlite3.Connection, ours: bool = True) -> JournalError | None:
    """The refusal of a journal file written by a later vfa, or None; `ours`: whether the file holds a journal
    (SQLite's `user_version` is any app's slot: a later version in a file without one is another app's).
    Asked before the table's columns are: a later vfa may have changed them."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version <= SCHEMA_VERSION:
        return None
    if not ours:
        return JournalError(f"{path!r} holds no vfa journal: it is another app's database (its schema version, "
                            f"{version}, is that app's); give the journal a file of its own")
    return JournalError(f"the journal at {path!r} has schema version {version}, written by a later vfa; this "
                        f"vfa reads version {SCHEMA_VERSION} and before: upgrade vfa to use it")


TERMINAL = frozenset({"committed", "failed", "denied", "rejected", "ran"})
"""Kinds that end a call: replaying the node returns what they recorded instead of acting again."""
_ENDED = ", ".join(f"'{k}'" for k in sorted(TERMINAL))
"""`TERMINAL` as SQL: a start followed by one has its outcome (a paused call denied on resume too)."""

def _is_bubble_up(exc: BaseException) -> bool:
    # matched by name so that the journal does not import langgraph; vfa's own refusals raised through a
    # tool (an agent used as a tool) fail it, as any error does, though raised as LangGraph's signals
    return not isinstance(exc, VfaError) and any(c.__name__ == "GraphBubbleUp" for c in type(exc).__mro__)


def pause_of(exc: BaseException) -> dict[str, Any]:
    """What a "paused" entry records of a tool's interrupt: its LangGraph interrupt id, the same each
    time the task reaches that interrupt again (a pause journaled twice counts once), and its value."""
    found = [i for i in (exc.args[0] if exc.args and isinstance(exc.args[0], (list, tuple)) else ())
             if isinstance(getattr(i, "id", None), str)]
    # and what the tool asked, to be asked again as it was if its answer is still to come
    return {"interrupt": found[0].id, "value": getattr(found[0], "value", None)} if found else {}


class JournalEntry(tuple):
    """One journal row: (seq, ts, thread_id, call_id, tool, kind, data)."""

    __slots__ = ()

    seq = property(lambda self: self[0])
    ts = property(lambda self: self[1])
    thread_id = property(lambda self: self[2])
    call_id = property(lambda self: self[3])
    tool = property(lambda self: self[4])
    kind = property(lambda self: self[5])

    @property
    def data(self) -> dict[str, Any]:
        """The entry's JSON payload, decoded; `JournalError` for a row no vfa writer wrote (half-written, or
        another writer's): what reads it fails closed, naming the row."""
        try:
            value = json.loads(self[6])
        except (TypeError, ValueError) as exc:
            raise JournalError(f"journal entry {self[0]} (thread {self[2]!r}, call {self[3]!r}) cannot be read: "
                               f"{type(exc).__name__}: {exc}") from None
        if value.__class__ is not dict:
            raise JournalError(f"journal entry {self[0]} (thread {self[2]!r}, call {self[3]!r}) holds "
                               f"{type(value).__name__}, not the object vfa writes")
        return value


LATE_ANSWER = "answered-late"
"""Journal kind of an answer given to a question shown again after a crash, once its call's effect had
begun: journaled under "<call id>#late" (the call keeps its record), read by what later calls are
covered by (an approval for a recipient)."""

KEPT = "kept"
"""Journal kind of the rest of a Command's update a flow let its tool write, under "<call id>#kept"."""

UNOBSERVED = "unobserved"
"""Journal kind of a result the messages showed that the journal held no record of, under "<call id>#unobserved"."""

SIDE_KINDS = frozenset({LATE_ANSWER, KEPT, UNOBSERVED})
"""Kinds of the entries journaled about a call under "<call id>#<suffix>": a key a model may also give a
call of its own, so such entries are never part of the record of the call journaled under that key."""


def own_entries(entries: list[JournalEntry]) -> list[JournalEntry]:
    """A call's own entries among those journaled under its id: not the side entries (`SIDE_KINDS`) of
    another call whose id and suffix make the same key."""
    return [e for e in entries if e.kind not in SIDE_KINDS] if any(e.kind in SIDE_KINDS for e in entries) else entries


_FILE_READERS: dict[str, weakref.WeakSet[Any]] = {}
"""File key (`EffectJournal._key`) -> the readers (`add_reader`) of every journal object of this process on that
file: an app that opens the file per request reads it through several, and a deletion through one reaches all."""
_FILE_READERS_LOCK = threading.Lock()

_OUTCOME_OF: ContextVar[Any] = ContextVar("vfa_outcome_of", default=None)
"""The journal whose effect's outcome this thread is writing (`EffectJournal._outcome`)."""

_MAX_THREADS_KEPT = 200_000
"""`may_hold` answers from memory for journals of up to this many threads (about 20 MB of ids)."""

def _members_or_repr(value: Any) -> Any:
    """A set as the list of its members (as `recorded` writes one: an audit reads a call's recipients
    from it), any other value JSON cannot carry by its repr."""
    if isinstance(value, (set, frozenset)):
        try:
            return sorted(value)
        except TypeError:  # members of several types: in the order of their reprs
            return sorted(value, key=repr)
    return repr(value)


_ENCODE = json_text(default=_members_or_repr, separators=(",", ":"))
"""Built once: `json.dumps` with options builds an encoder per call, and every entry is encoded."""


def dumps(value: Any) -> str:
    """JSON for the journal; values JSON cannot carry are recorded by their repr, never dropped. Raises
    (TypeError, ValueError, RecursionError) for what cannot be written so (keys JSON cannot carry, an
    integer past the digits Python writes, a cycle): a call's arguments so are refused (`_written`
    writes an entry whatever it holds)."""
    return _ENCODE(value)


def _written(value: Any) -> str:
    """An entry's data as the journal writes it, whatever it holds: as `dumps`, and what that cannot
    write with its keys and huge integers by their reprs, or else whole by its repr (a question a tool
    asks, a person's answer: an entry that fails to be written would lose the pause it records)."""
    try:
        return _ENCODE(value)
    except (TypeError, ValueError, RecursionError):
        pass
    try:
        return _ENCODE(_keyed(value))
    except (TypeError, ValueError, RecursionError):
        return _ENCODE(_repr_of(value))


_STRICT = json_text(separators=(",", ":"))
"""The journal's encoder without `default`: raises on a value JSON cannot carry."""


def recorded(value: Any) -> tuple[Any, dict[str, str]]:
    """A tool's result as the journal records it (a copy, but a scalar of plain JSON itself),
    and the reprs that stand in it for values JSON cannot carry (each mapped to the value's `str`).

    Plain JSON is recorded as it is (a container is handed on as read back from the record, never the
    tool's own object, which it may change after returning it). A set is recorded as a list (sorted where its members sort). Any
    other value JSON cannot carry (a `Decimal`, a date, an object) is recorded by its repr, taken once,
    in the one pass that writes the record: the strings recorded are the reprs listed, whatever a
    later `repr` of the same object would say. A value that cannot be written at all (keys JSON cannot
    carry) is recorded with those keys as their reprs; one that cannot be written at all (a cycle, too
    deep, a lazy list whose next page fails when it is iterated) whole as its repr. A repr or `str` that raises gives a
    placeholder naming the type. The node shows and labels the result as recorded (`with_reprs`), so
    the live run, a replay, a rebuilt flow and an audit all read the same values."""
    if value is None or value.__class__ in (str, int, float, bool):
        return value, {}
    try:
        text = _STRICT(value)
        # a container read back, never the tool's own: one it changes later would change what was labelled
        # (read back within the try: the decoder gives up a frame or two before the encoder, too deep below)
        copy = json.loads(text) if isinstance(value, (dict, list, tuple)) else value
    except Exception:  # noqa: BLE001 - not plain JSON, or a value that raises when read (a lazy page): written below
        pass
    else:
        return copy, {}
    found: dict[str, str] = {}

    def note(v: Any) -> Any:
        if isinstance(v, (set, frozenset)):
            try:
                return sorted(v)
            except TypeError:  # members of several types: in the order of their reprs
                return sorted(v, key=_repr_of)
        text = _repr_of(v)
        try:
            shown = str(v)
        except Exception:  # noqa: BLE001 - a str that raises: the repr stands for it too
            shown = text
        found.setdefault(text, shown if isinstance(shown, str) else text)
        return text

    encode = json_text(default=note, separators=(",", ":"))
    try:
        return json.loads(encode(value)), found
    except Exception:  # noqa: BLE001 - (as above)
        pass
    try:  # keys JSON cannot carry (a date): each written as its repr, the records kept as records
        found.clear()
        return json.loads(encode(_keyed(value))), found
    except Exception:  # noqa: BLE001 - a cycle, too deep, or a value that raises when iterated: the whole value by its repr
        text = _repr_of(value)
        return text, {text: text}


_KEYS = (str, int, float, bool, type(None))
"""The classes of keys JSON writes."""


def _keyed(value: Any) -> Any:
    """`value` with every dict key JSON cannot carry written as its repr (a copy, walked with a stack);
    raises RecursionError on a cycle, as the encoder would."""
    if not isinstance(value, (dict, list, tuple)):
        return _repr_of(value) if value.__class__ is int and value.bit_length() > _WRITTEN_BITS else value
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    seen = 0
    while stack:
        seen += 1
        if seen > 1_000_000:
            raise RecursionError("a result too large or circular to record")
        node, parent, at = stack.pop()
        if isinstance(node, dict):
            out: Any = {}
            for k, v in node.items():
                key = k if isinstance(k, _KEYS) else _repr_of(k)
                out[key] = None
                stack.append((v, out, key))
        elif isinstance(node, (list, tuple)):
            out = [None] * len(node)
            for i, v in enumerate(node):
                stack.append((v, out, i))
        elif node.__class__ is int and node.bit_length() > _WRITTEN_BITS:
            out = _repr_of(node)  # past the digits Python writes: a placeholder, not a failed record
        else:
            out = node
        parent[at] = out
    return root[0]


_WRITTEN_BITS = 14_000
"""Integers of more bits than this may be past the 4,300 digits Python writes by default: `_repr_of` says."""


def _repr_of(v: Any) -> str:
    try:
        text = repr(v)
    except Exception:  # noqa: BLE001 - a repr that raises: the type is all that is known
        if isinstance(v, int):  # past the digits Python writes: its size, at least
            return f"<int of about {int(v.bit_length() * 0.30103) + 1} digits>"
        return f"<{type(v).__module__}.{type(v).__qualname__} object: repr failed>"
    return text if isinstance(text, str) else f"<{type(v).__qualname__} object>"


def result_data(result: Any, reprs: Mapping[str, str]) -> dict[str, Any]:
    """A "ran" or "committed" entry's data: the result as recorded (`recorded`) and its reprs."""
    return {"result": result, "reprs": dict(reprs)} if reprs else {"result": result}


class Opaque:
    """A value JSON could not carry, as the journal recorded it: its repr and its `str` (see `recorded`)."""

    __slots__ = ("_repr", "_str")

    def __init__(self, text: str, as_str: str) -> None:
        self._repr, self._str = text, as_str

    def __repr__(self) -> str:
        return self._repr

    def __str__(self) -> str:
        return self._str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and (self._repr, self._str) == (other._repr, other._str)

    def __hash__(self) -> int:
        return hash(self._repr)


def recorded_result(data: Mapping[str, Any]) -> Any:
    """The result a "ran" or "committed" entry recorded, each string that stood for a value JSON could
    not carry (listed under "reprs") an `Opaque` again."""
    return with_reprs(data.get("result"), data.get("reprs"))


def with_reprs(value: Any, reprs: Any) -> Any:
    """`value` (JSON values) with each string that is a key of `reprs` made an `Opaque`; object keys are
    left as they are (JSON writes no object as a key). Walked with a stack, not recursion: a result
    may be nested as deep as the JSON decoder reads."""
    if not reprs or not isinstance(reprs, Mapping):
        return value

    def leaf(v: Any) -> Any:
        shown = reprs.get(v) if isinstance(v, str) else None
        return Opaque(v, shown if isinstance(shown, str) else v) if shown is not None else v

    if not isinstance(value, (dict, list)):
        return leaf(value)
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        node, parent, at = stack.pop()
        if isinstance(node, dict):
            out: Any = dict.fromkeys(node)
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    stack.append((v, out, k))
                else:
                    out[k] = leaf(v)
        else:
            out = [None] * len(node)
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    stack.append((v, out, i))
                else:
                    out[i] = leaf(v)
        parent[at] = out
    return root[0]


class EffectJournal:
    """Append-only SQLite journal of every proposal, verdict, commit and denial.

    Args:
        path: a file path, or ":memory:" (the default) for a journal that lives as long as the object.
            Use a file wherever the checkpointer is durable, or exactly-once cannot survive a crash.
        synchronous: SQLite's `synchronous` pragma. "NORMAL" with WAL survives a process crash;
            "FULL" also survives power loss, at an fsync per commit.
        read_only: read an existing journal file without writing to it (no schema, no WAL switch),
            for an audit or a monitor: entries a writer appends later are read too; raises
            `JournalError` when the file holds no vfa journal, and on any write. "snapshot": read it
            as it is now, for one read (`vfa journal`): when no writer has it open (no `-wal` beside
            it) it is read as immutable, so no `-wal` or `-shm` file is left beside it, and what is
            written after it was opened is not seen.
    """

    def __init__(self, path: str | Path = ":memory:", *, synchronous: str = "NORMAL",
                 read_only: bool | Literal["snapshot"] = False) -> None:
        if not isinstance(path, (str, bytes, os.PathLike)):  # str() of it would name a file: "None", "1"
            raise TypeError(f"the journal's path must be text or a path, not {type(path).__name__} {path!r}")
        self.path = os.fsdecode(path)
        if not self.path:  # SQLite would keep a temporary file, gone at close: no journal a restart finds
            raise ValueError("the journal's path is empty; give a file, or \":memory:\" for a journal kept in memory")
        if "\0" in self.path or not _file_name(self.path):  # else "embedded null byte", or a codec's error, naming no journal
            raise ValueError(f"the journal's path {self.path!r} holds a NUL or a lone surrogate: it names no file")

        if not isinstance(synchronous, str) or synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")
        if not (read_only is False or read_only is True or read_only == "snapshot"):
            # any other truthy value ("snapshots", "yes") would silently open a live reader
            raise ValueError(f"read_only must be False, True or \"snapshot\", not {read_only!r}")
        self._lock = threading.RLock()
        if read_only:
            self._db = _read_only(self.path, snapshot=read_only == "snapshot")
        else:
            self._open(synchronous)
        self._key = f"memory:{id(self)}" if self.path == ":memory:" else _file_key(self.path)
        """Names this journal's calls under way in this process (`_owners`): one name for every
        connection to one file, by whatever path (a link, a bind mount) it was opened."""
        self._init_state()

    def _open(self, synchronous: str) -> None:
        try:
            if self.path != ":memory:":
                folder = Path(self.path).parent
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:  # a file where a folder should be: "File exists", naming no journal
                    why = "a file is in its way" if isinstance(exc, (FileExistsError, NotADirectoryError)) \
                        else exc.strerror or str(exc)
                    raise JournalError(f"cannot open the journal at {self.path!r}: its folder {str(folder)!r} "
                                       f"cannot be made ({why})") from exc
                owners_file(self.path)  # it holds what tools returned, private values in clear
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            columns = tuple(r[1] for r in self._db.execute("PRAGMA table_info(journal)"))
            later = _later(self.path, self._db, ours=_vfa_table(self._db, columns))
            if later is not None:  # a later vfa's (its table may have changed), or another app's: refused as it is
                self._db.close()
                raise later
            # table_info reads a view or a virtual table alike, which no index can be made on
            kind = self._db.execute("SELECT type, sql FROM sqlite_master WHERE lower(name) = 'journal' "
                                    "AND type IN ('table', 'view')").fetchone()
            what = None if kind is None else "a virtual table" if kind[0] == "table" and str(
                kind[1] or "").lstrip().upper().startswith("CREATE VIRTUAL") else f"a {kind[0]}"
            if (columns and columns != _COLUMNS) or what not in (None, "a table"):
                # another app's: refused before the WAL switch changes its file
                self._db.close()
                raise JournalError(f"{self.path!r} holds {what or 'a table'} 'journal' that is no vfa journal (its "
                                   f"columns: {', '.join(columns)})")
            if what is None:
                # no journal, yet tables: another app's database, whose user_version the stamp below would
                # take (vfa makes its table first, so a file of vfa's holding anything holds it); read in one
                # statement, one snapshot: a journal another replica made since the read above is vfa's. The app's
                # LangGraph `SqliteSaver` may keep its checkpoints here (it keeps no user_version), as it may add
                # them beside a journal made first
                theirs = [n for (n,) in self._db.execute(
                    "SELECT name FROM sqlite_master AS m WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND NOT EXISTS "
                    "(SELECT 1 FROM sqlite_master WHERE lower(name) = 'journal') AND NOT (type = 'table' AND name IN "
                    "('checkpoints', 'writes') AND (SELECT COUNT(*) FROM pragma_table_info(m.name) WHERE name IN "
                    f"{_CHECKPOINT_KEYS!r}) = {len(_CHECKPOINT_KEYS)}) ORDER BY name LIMIT 6")]
                if theirs:
                    self._db.close()
                    raise JournalError(f"{self.path!r} holds no vfa journal: it is another app's database (it holds "
                                       f"{', '.join(map(repr, theirs[:5]))}{', ...' if len(theirs) > 5 else ''}); "
                                       "give the journal a file of its own")
            db = self._db
            if self.path != ":memory:":
                _waited(lambda: db.execute("PRAGMA journal_mode=WAL"))
            db.execute(f"PRAGMA synchronous={synchronous.upper()}")
            try:
                _waited(lambda: db.executescript(_SCHEMA))
            except sqlite3.IntegrityError:
                twice = db.execute("SELECT thread_id, call_id, kind FROM journal WHERE kind IN ('started', 'committed') "
                                   "GROUP BY thread_id, call_id, kind HAVING COUNT(*) > 1 LIMIT 1").fetchone()
                if twice is None:
                    raise
                db.close()
                # vfa before one write-ahead record per call journaled a call two runs began twice: its unique
                # index cannot be made over them, and this vfa reads one start per call
                raise JournalError(
                    f"the journal at {self.path!r} was written by an earlier vfa, which journaled call {twice[1]!r} on "
                    f"thread {twice[0]!r} {twice[2]} twice; this vfa keeps one such record per call and cannot write "
                    "to it: read it with read_only=True, and journal new runs in a new file") from None
            # a future vfa tells the journals it can read by this (one from before versions: 0, stamped now)
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _waited(lambda: db.execute(f"PRAGMA user_version={SCHEMA_VERSION}"))
        except sqlite3.Error as exc:
            # closed here: a connection is a reference cycle (its statement cache), which only a garbage
            # collection would close, a descriptor lost per attempt (a service retrying a damaged file)
            db = self.__dict__.pop("_db", None)
            if db is not None:
                db.close()
            raise JournalError(f"cannot open the journal at {self.path!r}: {exc}") from exc

    def _init_state(self) -> None:
        self._threads: dict[str, int] | None = None
        """Every thread with an entry -> how many entries other connections wrote for it since it was
        first read (`may_hold`, `elsewhere`); None: not read yet, or too many threads to keep."""
        self._threads_off = False
        self._synced: tuple[int, int] = (0, 0)
        """(data_version, highest seq) when `_threads` was last brought up to date with other connections."""
        self._own: list[list[int]] = []
        """Seq ranges [first, last] this connection wrote since then: its rows, told from other connections'."""
        self._epoch = 0
        """Once threads are too many to keep: how many times other connections were seen to write."""
        self._writing: list[tuple[Any, ...]] | None = None
        """The rows of the transaction under way (noted once it commits)."""
        self._readers: weakref.WeakSet[Any] = weakref.WeakSet()
        """Readers that keep what they read of threads (`add_reader`): with two, each one's writes
        are news to the other, though made through this connection."""
        self._shared = False
        """Whether it ever had two readers (from then on, `elsewhere` counts its own writes too)."""
        self._ended_upto: dict[str, int] = {}
        """Thread -> the seq up to which every start of an effect has its outcome (`cut_off`)."""
        self._begun = 0
        """How many effects this object started (their write-ahead record written) whose outcome is not yet written."""
        self._left_open: sqlite3.Connection | None = None
        """The connection `close()` left open for those effects' outcomes, closed once the last is written."""

    # -- writing ---------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._db
            if self._left_open is not None and _OUTCOME_OF.get() is self:
                db = self._left_open  # closed while an effect ran: its outcome is still written (`close`)
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    wrote = self._writing
                    if wrote is not None and self._threads is not None and self.path != ":memory:":
                        # the rows of one write transaction have consecutive seqs (it holds the write lock)
                        (last,) = db.execute("SELECT last_insert_rowid()").fetchone()
                        wrote = (wrote, last - len(wrote) + 1, last)
                    elif wrote is not None:
                        wrote = (wrote,)
                except BaseException:
                    self._writing = None
                    # a full disk (SQLITE_FULL) has SQLite roll the transaction back itself: a second
                    # ROLLBACK would raise "no transaction is active" in place of the error that said why
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                self._writing = None
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
            self._writing = None
            if wrote is not None:
                self._wrote(*wrote)

    def _insert(self, db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        """Insert journal rows (ts, thread_id, call_id, tool, kind, data) in the transaction under way."""
        db.executemany("INSERT INTO journal (ts, thread_id, call_id, tool, kind, data) VALUES (?, ?, ?, ?, ?, ?)", rows)
        self._writing = rows

    def _wrote(self, rows: list[tuple[Any, ...]], first: int = 0, last: int = 0) -> None:
        """Note a committed write of this connection: its threads, and its seqs if others may write."""
        known = self._threads
        if known is None:
            if self._threads_off and len(self._readers) > 1:  # news to the other readers, thread unknown
                self._epoch += 1
            return
        if len(self._readers) > 1:  # news to every reader but the writer, which the journal cannot tell
            for r in rows:
                known[r[1]] = known.get(r[1], 0) + 1
        else:
            for t in {r[1] for r in rows}:  # a call's entries: one thread, as a rule
                known.setdefault(t, 0)
        if len(known) > _MAX_THREADS_KEPT:
            self._stop_keeping()
            return
        if last:
            own = self._own
            if own and own[-1][1] == first - 1:  # no other connection wrote in between: one range
                own[-1][1] = last
            else:
                own.append([first, last])

    def append(self, entries: Sequence[tuple[str, str, str, str, Any]]) -> None:
        """Append (thread_id, call_id, tool, kind, data) entries in one transaction."""
        now = time.time()
        with self._transaction() as db:
            self._insert(db, [(now, t, c, tool, kind, _written(data)) for t, c, tool, kind, data in entries])

    def commit(
        self,
        thread_id: str,
        call_id: str,
        tool: str,
        args: dict[str, Any],
        run: Callable[[], Any],
        *,
        pending: Sequence[tuple[str, str, str, str, Any]] = (),
        restart: int = 0,
        tag: Mapping[str, Any] | None = None,
        redact: Callable[[str], str] | None = None,
        cause: Callable[[str], str | None] | None = None,
    ) -> tuple[bool, Any]:
        """Run an effect exactly once for (thread_id, call_id) and record its result.

        `pending` entries (the proposal and its verdicts) go in with the write-ahead record, so the
        record of why an effect ran is never behind the effect. Only one run may hold a call's
        write-ahead record: a second one (a concurrent replica, a repeated id) is refused, and only a
        `restart` may start the call again: the seq of the entry it goes on from (the start a crash cut
        off, or the tool's pause), refused when another run has started it again since. A refusal
        because the run holding the record is still alive raises `CallInFlightError`, nothing
        written. The record names its run (`_owners`). `tag` is added to the start and pause
        records; `redact` rewrites an effect's error text before it is recorded or returned (an
        exception message may quote the private values the effect was given); `cause` gives the
        text recorded beside it as the error's cause (`failure`), for a flow or an audit to label
        again. Returns (ok, result or error text).
        """
        under_way = Running(self._key, thread_id, call_id)
        started = ended = begun = False
        try:
            with self._transaction() as db:
                # read in the write transaction: a run that read the call's history before another
                # ended it (a person's reject or a denial journaled by another process) must not start it
                row = db.execute(
                    "SELECT kind, data FROM journal WHERE thread_id=? AND call_id=? AND kind IN "
                    "('committed','failed','denied','rejected') ORDER BY seq DESC LIMIT 1", (thread_id, call_id)).fetchone()
                if row is not None and row[0] in ("denied", "rejected"):
                    return False, f"call {call_id!r} was already {row[0]} by another run; it was not run"
                if row is not None:  # another replica of this node got here first: return its outcome
                    data = json.loads(row[1])
                    return (row[0] == "committed", recorded_result(data) if row[0] == "committed" else data.get("error"))
                if not restart:
                    if self._open_start(db, thread_id, call_id, 0) is not None:
                        return False, f"call {call_id!r} is already being committed by another run; it was not run again"
                elif self._open_start(db, thread_id, call_id, int(restart)) is not None:
                    # two replicas going on from one pause or crash: the first runs it
                    return False, f"call {call_id!r} was already started again by another run; it was not run again"
                else:
                    self._refuse_in_flight(db, "SELECT seq, ts, thread_id, call_id, tool, "
                                           "kind, data FROM journal WHERE seq=? AND kind IN ('started','restarted')",
                                           (int(restart),))
                if caller_gone():  # its ainvoke was cancelled before it began: nothing written, nothing run
                    raise asyncio.CancelledError(f"the run of call {call_id!r} was cancelled before its effect began")
                now = time.time()
                rows = [(now, t, c, tl, k, _written(d)) for t, c, tl, k, d in pending]
                rows.append((now, thread_id, call_id, tool, "restarted" if restart else "started",
                             _written({"args": args, **(tag or {}), "owner": owner()})))
                # held from before its record can be read (the transaction commits) until its outcome
                # is written: meanwhile another run reads the call as under way, not as cut off by a crash
                under_way.hold()
                self._begun, begun = self._begun + 1, True  # its outcome is written even if the journal is closed
                self._insert(db, rows)
            started = True
            with _open_commit(tool, call_id):
                try:
                    result = run()
                except Exception as exc:
                    if _is_bubble_up(exc):
                        # The tool called LangGraph's interrupt(): a pause, not a failure. Resuming the
                        # thread verifies the call again and re-enters the tool with the answer.
                        with self._outcome():
                            self.append([(thread_id, call_id, tool, "paused", {"by": "tool", **pause_of(exc), **(tag or {})})])
                        ended = True
                        raise
                    error = error_text(exc)  # the effect's own failure: recorded, not retried
                    data = failure(error, redact, cause)
                    with self._outcome():
                        self.append([(thread_id, call_id, tool, "failed", data)])
                    ended = True
                    return False, data["error"]
            with self._outcome():
                shown = self._record_result(thread_id, call_id, tool, result)
            ended = True
            return True, shown
        except BaseException as exc:
            if started and not ended:  # cut off (a KeyboardInterrupt, a cancelled task, a failed write)
                with self._outcome():
                    self._abandon(thread_id, call_id, tool, exc)
            raise
        finally:
            under_way.release()
            if begun:
                self._ended_one()

    @contextmanager
    def _outcome(self) -> Iterator[None]:
        """Within it, this thread writes the outcome of an effect it began: through the connection `close()`
        left open for it, if the journal was closed meanwhile."""
        token = _OUTCOME_OF.set(self)
        try:
            yield
        finally:
            _OUTCOME_OF.reset(token)

    def _ended_one(self) -> None:
        """An effect begun here has its outcome written (or it could not be): the last one closes what
        `close()` left open for them."""
        with self._lock:
            self._begun -= 1
            db = self._left_open if not self._begun else None
            if db is not None:
                self._left_open = None
                db.close()

    def _abandon(self, thread_id: str, call_id: str, tool: str, exc: BaseException) -> None:
        """Mark a start this run left without an outcome while its process goes on: other processes
        read it as a crash from now on, as this one does (`running`). It may or may not have happened,
        so it stays open, for recovery to verify again and ask."""
        try:
            with self._transaction() as db:
                if db.execute(  # its outcome or pause was written before the run was cut off: it ended
                        "SELECT 1 FROM journal WHERE thread_id=? AND call_id=? AND kind IN ('committed','failed','paused') "
                        "AND seq > (SELECT MAX(seq) FROM journal WHERE thread_id=? AND call_id=? "
                        "AND kind IN ('started','restarted')) LIMIT 1", (thread_id, call_id, thread_id, call_id)).fetchone():
                    return
                self._insert(db, [(time.time(), thread_id, call_id, tool, "abandoned", _written({"error": type(exc).__name__}))])
        except Exception:  # noqa: BLE001 - the journal itself may be what failed; the original error is raised
            pass

    def _open_start(self, db: sqlite3.Connection, thread_id: str, call_id: str, after: int) -> int | None:
        """The seq of a start of the call after `after` (any start, for 0); raises `CallInFlightError`
        when the newest one's run is still alive."""
        sql = ("SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal WHERE thread_id=? AND call_id=? "
               "AND kind IN ('started','restarted') AND seq > ? ORDER BY seq DESC LIMIT 1")
        return self._refuse_in_flight(db, sql, (thread_id, call_id, after))

    def _refuse_in_flight(self, db: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int | None:
        """The seq of the start `sql` reads, if any; raises `CallInFlightError` when its run is alive."""
        row = db.execute(sql, params).fetchone()
        if row is None:
            return None
        entry = JournalEntry(row)
        if self.running(entry):
            raise CallInFlightError(in_flight(entry))
        return entry.seq

    def running(self, entry: JournalEntry) -> bool:
        """Whether a `started` or `restarted` entry's effect is under way in a run still alive (in this
        process or another on this host); False for one a crash cut off, and for any other entry."""
        if entry.kind not in ("started", "restarted"):
            return False
        try:
            by = entry.data.get("owner")
        except ValueError:
            return False
        if not alive(self._key, entry.thread_id, entry.call_id, by):
            return False
        with self._lock:  # its process lives on: the run is under way unless it marked the start abandoned
            return self._db.execute(
                "SELECT 1 FROM journal WHERE thread_id=? AND call_id=? AND kind='abandoned' AND seq > ? LIMIT 1",
                (entry.thread_id, entry.call_id, entry.seq)).fetchone() is None

    def cut_off(self, thread_id: str) -> list[JournalEntry]:
        """The effects begun on the thread that have no outcome and are not under way (nor paused by
        their tool to ask): cut off by a crash, whether or not a checkpoint still holds their call. A call
        begun again (`restarted`: after its tool's pause, or a crash a person answered about) is read by its
        latest start: one cut off after its tool was answered is reported too.

        Starts known to have an outcome (or a pause, or a later start) are not read again: a start's outcome
        is final, so each call reads the starts written since the oldest one that had none of these (a long
        thread costs no more)."""
        # each kind read through its own partial index on (thread_id, seq): only the starts after the mark
        flags = (f"EXISTS (SELECT 1 FROM journal o WHERE o.thread_id = s.thread_id AND o.call_id = s.call_id "
                 f"AND o.seq > s.seq AND o.kind IN ({_ENDED})), EXISTS (SELECT 1 FROM journal o WHERE o.thread_id = "
                 "s.thread_id AND o.call_id = s.call_id AND o.seq > s.seq AND o.kind IN ('paused', 'restarted'))")
        with self._lock:
            try:
                since = self._ended_upto.get(thread_id, 0)
                rows = self._db.execute(
                    f"SELECT s.seq, s.ts, s.thread_id, s.call_id, s.tool, s.kind, s.data, {flags} FROM journal s "
                    "WHERE s.thread_id = ? AND s.kind = 'started' AND s.seq > ? UNION ALL "
                    f"SELECT s.seq, s.ts, s.thread_id, s.call_id, s.tool, s.kind, s.data, {flags} FROM journal s "
                    "WHERE s.thread_id = ? AND s.kind = 'restarted' AND s.seq > ? ORDER BY 1",
                    (thread_id, since, thread_id, since)).fetchall()
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
            open_: list[JournalEntry] = []
            for *row, ended, passed in rows:
                if (ended or passed) and not open_:
                    # every start up to here has its outcome, or its tool paused it, or it was begun again: the
                    # mark passes it (a question never answered would hold it for good, and every later call
                    # re-read the thread's starts since); a start written after a pause has a seq of its own,
                    # past the mark, and is read as any start is
                    since = row[0]
                elif not ended and not passed:
                    open_.append(JournalEntry(tuple(row)))
            if since:
                if thread_id not in self._ended_upto and len(self._ended_upto) >= _MAX_THREADS_KEPT:
                    del self._ended_upto[next(iter(self._ended_upto))]
                self._ended_upto[thread_id] = since
        return [e for e in open_ if not self.running(e)]

    def end(self, thread_id: str, call_id: str, entries: Sequence[tuple[str, str, str, str, Any]], *,
            ended_by: Collection[str] = TERMINAL, begun_after: int | None = None) -> JournalEntry | None:
        """Append `entries`, the last of which ends a call, unless the call already has an outcome
        (of the `ended_by` kinds, any by default: another replica got there first, a person's reject there
        too); then nothing is written and that outcome is returned. One transaction, as `commit` checks, so
        a call never gets two outcomes. `begun_after`: the call was read as not begun since that seq (0: never);
        a start written since (another run began it, and a crash cut it off) is returned, nothing written: an
        effect that may have happened is never ended as one that did not run."""
        kinds = sorted(ended_by)
        with self._transaction() as db:
            row = db.execute(
                "SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal WHERE thread_id=? AND call_id=? "
                f"AND kind IN ({','.join('?' * len(kinds))}) ORDER BY seq DESC LIMIT 1",
                (thread_id, call_id, *kinds)).fetchone()
            if row is not None:
                return JournalEntry(row)
            if begun_after is not None:
                seq = self._open_start(db, thread_id, call_id, int(begun_after))  # `CallInFlightError` while it runs
                if seq is not None:
                    return JournalEntry(db.execute("SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal "
                                                   "WHERE seq=?", (seq,)).fetchone())
            self._refuse_in_flight(db, (
                "SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal WHERE thread_id=? AND call_id=? "
                "AND kind IN ('started','restarted','paused') ORDER BY seq DESC LIMIT 1"), (thread_id, call_id))
            now = time.time()
            self._insert(db, [(now, t, c, tl, k, _written(d)) for t, c, tl, k, d in entries])
        return None

    def _record_result(self, thread_id: str, call_id: str, tool: str, result: Any) -> Any:
        """Record an effect's result; returns it as recorded, as the node shows it (values JSON cannot
        carry by the reprs the record holds, `recorded`)."""
        value, reprs = recorded(result)
        self.append([(thread_id, call_id, tool, "committed", result_data(value, reprs))])
        return result if value is result else with_reprs(value, reprs)

    def delete_thread(self, thread_id: str) -> int:
        """Delete every entry of a thread (a conversation that is over, or one its user asked to erase);
        returns how many were deleted.

        Their bytes are overwritten in the file (SQLite's `secure_delete`) and the write-ahead log is
        checkpointed, so the values they held (tool results, arguments, in clear) are not left in free
        pages. Delete the thread's checkpoints first (`Agent.delete_thread` does both, in that order): a
        thread resumed from its checkpoints with no journal would run its calls' effects again. Raises
        `CallInFlightError`, nothing deleted, while a call of the thread is under way in a live run. The
        flows reading this journal in this process forget the thread (`add_reader`); those of other
        processes keep what they read of it until they forget it (labels on values, never fewer); those of
        this process reading the file through another journal object forget it too.
        """
        if not isinstance(thread_id, str) or not thread_id:
            raise TypeError(f"thread_id must be non-empty text, not {type(thread_id).__name__} {thread_id!r:.60}")
        hold = _THREAD_HOLD[0]
        if hold is None:  # no guard node in this process: no call of it holds a thread
            return self._delete_thread(thread_id)
        # a call of this process holds its thread from its check to its record (a read-only tool's result, an
        # effect's guards deciding before its start is written), which `_refuse_running` cannot see in the file:
        # a deletion going ahead meanwhile would have the call's records journaled after it
        self.refuse_in_flight(thread_id)  # an effect under way first, by the call its record names
        with hold(self, thread_id):
            return self._delete_thread(thread_id)

    def _delete_thread(self, thread_id: str) -> int:
        """`delete_thread`, with the thread held (`GuardNode.delete_thread` holds it itself)."""
        with self._lock:
            try:
                secure = self._db.execute("PRAGMA secure_delete").fetchone()[0]
                self._db.execute("PRAGMA secure_delete=ON")
            except sqlite3.Error as exc:
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
            try:
                with self._transaction() as db:
                    self._refuse_running(db, thread_id)
                    # the trigger keeps every other write append-only; DDL is part of this transaction
                    db.execute("DROP TRIGGER journal_no_delete")
                    deleted = db.execute("DELETE FROM journal WHERE thread_id=?", (thread_id,)).rowcount
                    db.execute(_NO_DELETE)
            finally:
                try:
                    self._db.execute(f"PRAGMA secure_delete={int(secure)}")
                except sqlite3.Error:
                    pass
            if self._threads is not None:
                self._threads.pop(thread_id, None)
            self._ended_upto.pop(thread_id, None)
            readers = list(self._readers)
        if self.path != ":memory:":  # the log holds the pages as they were until they are copied back
            self._checkpoint()
        with _FILE_READERS_LOCK:  # and those reading the file through another journal object of this process
            mine = {id(r) for r in readers}
            readers += [r for r in _FILE_READERS.get(self._key, ()) if id(r) not in mine]
        for reader in readers:
            forget = getattr(reader, "forget", None)
            if forget is not None:
                forget(thread_id)
        return deleted

    def _checkpoint(self) -> None:
        """Copy the write-ahead log back into the file and empty it (`delete_thread`), tried again while
        other connections keep it from finishing (a write under way, a reader on an earlier snapshot: a
        backup, an audit) for up to `_BUSY_WAIT_S`, then left to the next checkpoint. No try waits for a
        lock: one waiting through SQLite's busy timeout holds the file's write lock all that time, so
        another connection's commit that was already waiting for the deletion failed ("database is
        locked"); between tries the lock is free, and so is this journal for its other callers."""
        deadline = time.monotonic() + _BUSY_WAIT_S
        while True:
            with self._lock:
                try:
                    (wait,) = self._db.execute("PRAGMA busy_timeout").fetchone()
                    try:  # set within the try: an interrupt right after it still has the wait restored
                        self._db.execute("PRAGMA busy_timeout=0")
                        (busy, _, _) = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                    finally:
                        self._db.execute(f"PRAGMA busy_timeout={int(wait)}")
                except (sqlite3.Error, JournalError):  # closed meanwhile: copied back at the next checkpoint
                    return
            if not busy or time.monotonic() >= deadline:
                return
            time.sleep(0.02)

    def refuse_in_flight(self, thread_id: str) -> None:
        """Raise `CallInFlightError` while an effect of the thread is under way in a live run (of this process
        or another), as `delete_thread` does: asked by `Agent.delete_thread` before it deletes the thread's
        checkpoints, so a deletion the journal would refuse deletes nothing."""
        with self._lock:
            try:
                self._refuse_running(self._db, thread_id)
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                raise JournalError(f"journal {self.path!r}: {exc}") from exc

    def _refuse_running(self, db: sqlite3.Connection, thread_id: str) -> None:
        """`refuse_in_flight`, on `db` (in `delete_thread`'s transaction)."""
        for row in db.execute(
                "SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal s WHERE thread_id=? "
                "AND kind IN ('started','restarted') AND NOT EXISTS (SELECT 1 FROM journal o WHERE "
                "o.thread_id = s.thread_id AND o.call_id = s.call_id AND o.seq > s.seq AND o.kind IN "
                f"({_ENDED}, 'paused', 'abandoned'))", (thread_id,)).fetchall():
            entry = JournalEntry(row)
            if self.running(entry):
                by = entry.data.get("owner") or {}
                raise CallInFlightError(
                    f"call {entry.call_id!r} of {entry.tool!r} on thread {thread_id!r} is being run "
                    f"(process {by.get('pid')} on {by.get('host')!r}); nothing was deleted: delete the "
                    "thread once its runs have finished")

    # -- reading ---------------------------------------------------------------------------------

    def may_hold(self, thread_id: str) -> bool:
        """False only when the journal certainly holds no entry of the thread (a conversation it never
        saw), so a reader may skip the query; answered from memory while no other connection wrote."""
        threads = self._synced_threads()
        return threads is None or thread_id in threads

    def add_reader(self, reader: Any) -> None:
        """Note a reader that keeps what it read of threads (a privacy flow): while there is more
        than one, `elsewhere` counts the entries written through this object too."""
        if self.path != ":memory:":  # a private database: its own readers are all there are
            with _FILE_READERS_LOCK:
                _FILE_READERS.setdefault(self._key, weakref.WeakSet()).add(reader)
        with self._lock:
            self._readers.add(reader)
            self._shared = self._shared or len(self._readers) > 1
            if self._shared and self._threads is None and not self._threads_off:
                try:  # count from now: every write since a reader's last read is then news to it
                    self._read_threads()
                except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                    raise JournalError(f"journal {self.path!r}: {exc}") from exc

    def elsewhere(self, thread_id: str) -> int:
        """How many entries other connections (another replica, another process), or while it has
        several readers any writer, wrote for the thread since this journal first read it: a reader
        that noted the number knows when to read again."""
        if self.path == ":memory:" and not self._shared:  # a private database, one reader: nobody else writes
            return 0
        threads = self._synced_threads()
        # threads not kept: a number of its own each time another connection wrote anything at all
        return -1 - self._epoch if threads is None else threads.get(thread_id, 0)

    def _synced_threads(self) -> dict[str, int] | None:
        """`_threads`, up to date with every connection's writes (None: too many threads to keep)."""
        with self._lock:
            try:
                if self._threads_off:
                    if self.path != ":memory:":
                        (version,) = self._db.execute("PRAGMA data_version").fetchone()
                        if version != self._synced[0]:
                            self._synced, self._epoch = (version, 0), self._epoch + 1
                    return None
                if self._threads is None:
                    self._read_threads()
                elif self.path != ":memory:":  # a private in-memory database has no other writer
                    (version,) = self._db.execute("PRAGMA data_version").fetchone()
                    if version != self._synced[0]:  # another connection committed since: read what it wrote
                        self._read_threads(version)
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
            return self._threads

    def _read_threads(self, version: int | None = None) -> None:
        """Read every thread (first time, `version` None), or the entries written since the last read."""
        db = self._db
        first = version is None
        if first:
            (version,) = db.execute("PRAGMA data_version").fetchone()
        # in this order: a commit landing after the version was read changes the version again
        (top,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM journal").fetchone()
        if first:  # no more than can be kept: past that, none is
            threads = dict.fromkeys((t for (t,) in db.execute(
                "SELECT DISTINCT thread_id FROM journal LIMIT ?", (_MAX_THREADS_KEPT + 1,))), 0)
        else:  # up to `top` only: a row committed since is read next time, and counted once
            threads, own = self._threads or {}, self._own
            for seq, t in db.execute("SELECT seq, thread_id FROM journal WHERE seq > ? AND seq <= ?",
                                     (self._synced[1], top)):
                mine = any(a <= seq <= b for a, b in own)
                threads[t] = threads.get(t, 0) + (not mine)
            self._own = [r for r in own if r[1] > top]
        self._synced = (version, top)
        if len(threads) > _MAX_THREADS_KEPT:  # too many to keep: every thread may have entries
            self._stop_keeping()
            return
        self._threads = threads

    def _stop_keeping(self) -> None:
        """Too many threads to keep: `may_hold` says yes to all, `elsewhere` changes with any write elsewhere."""
        self._threads, self._threads_off, self._own = None, True, []

    def last(self, thread_id: str, call_id: str) -> JournalEntry | None:
        """The latest entry of one call, or None if the journal has never seen it."""
        with self._lock:
            try:
                row = self._db.execute(
                    "SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal "
                    "WHERE thread_id=? AND call_id=? ORDER BY seq DESC LIMIT 1", (thread_id, call_id)).fetchone()
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
        return JournalEntry(row) if row else None

    def entries(self, thread_id: str | None = None, *, call_id: str | None = None,
                kinds: Collection[str] | None = None, after: int = 0) -> list[JournalEntry]:
        """Every entry, oldest first, optionally of one thread and of one call (on any thread, if none is
        named), of the given `kinds` only (a reader after a thread's questions and answers is not handed
        every result it holds), and
        written after the entry numbered `after` only (a reader of a call's last steps is not handed
        the thread's whole past)."""
        sql = "SELECT seq, ts, thread_id, call_id, tool, kind, data FROM journal"
        params: list[Any] = []
        where: list[str] = []
        if after:
            where.append("seq>?")
            params.append(after)
        if thread_id is not None:
            where.append("thread_id=?")
            params.append(thread_id)
        if call_id is not None:  # with no thread: the calls of that id on every thread, never every entry
            where.append("call_id=?")
            params.append(call_id)
        if kinds is not None:
            if isinstance(kinds, str):  # a text is a collection of its characters: it would match no entry
                raise TypeError(f"kinds must be a collection of entry kinds, such as [{kinds!r}], not a text")
            kinds = sorted(kinds)
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            try:
                rows = self._db.execute(sql + " ORDER BY seq", params).fetchall()
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
        return [JournalEntry(r) for r in rows]

    def threads(self) -> list[str]:
        """The id of every thread the journal holds, in the order each began (read from the index, not the entries)."""
        with self._lock:
            try:
                rows = self._db.execute(
                    "SELECT thread_id FROM journal GROUP BY thread_id ORDER BY MIN(seq)").fetchall()
            except sqlite3.Error as exc:
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
        return [t for (t,) in rows]

    def committed(self, thread_id: str) -> list[CommitRecord]:
        """Effects committed on a thread, oldest first: the history guards see."""
        with self._lock:
            try:
                rows = self._db.execute(
                    "SELECT c.thread_id, c.call_id, c.tool, s.data, c.data, c.ts, c.seq, s.seq FROM journal c "
                    "JOIN journal s ON s.thread_id=c.thread_id AND s.call_id=c.call_id "
                    "AND s.kind IN ('started','restarted') "
                    "WHERE c.thread_id=? AND c.kind='committed' GROUP BY c.seq ORDER BY c.seq",
                    (thread_id,)).fetchall()
            except (sqlite3.Error, UnicodeEncodeError) as exc:  # text SQLite cannot hold (a lone surrogate) too
                raise JournalError(f"journal {self.path!r}: {exc}") from exc
        out = []
        for t, c, tool, a, r, ts, seq, start in rows:
            # read as `JournalEntry.data` reads a row: one no vfa writer wrote fails closed, naming it
            started = JournalEntry((start, ts, t, c, tool, "started", a)).data
            if "args" not in started:
                raise JournalError(f"journal entry {start} (thread {t!r}, call {c!r}) holds no arguments")
            result = JournalEntry((seq, ts, t, c, tool, "committed", r)).data.get("result")
            out.append(CommitRecord(thread_id=t, call_id=c, tool=tool, args=started["args"], result=result,
                                    committed_at=ts))
        return out

    def close(self) -> None:
        """Close the database; the journal cannot be used afterwards. Closing again does nothing. An effect
        already begun (its write-ahead record written) still has its outcome written when it ends: its
        connection is closed then (left without one, another process would read the effect as under way
        while this one lives, and this one as cut off by a crash, to be run or asked about again)."""
        with self._lock:
            db, self._db = self._db, _Closed(self.path)
            if self._begun and isinstance(db, sqlite3.Connection):
                self._left_open = db
            else:
                db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EffectJournal({self.path!r})"


class _Closed:
    """A closed journal's connection: every use says the journal was closed, and by what, where SQLite
    would say "Cannot operate on a closed database"."""

    in_transaction = False

    def __init__(self, path: str) -> None:
        self._path = path

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        raise JournalError(f"the journal at {self._path!r} was closed (its `close()`, or the end of the `with` "
                           "block of the agent, gate or journal that opened it): nothing was read or written; "
                           "use the graph while its agent is open, or open the journal again")


_CHECKPOINT_KEYS = ("thread_id", "checkpoint_ns", "checkpoint_id")
"""Columns LangGraph's `SqliteSaver` keys its tables `checkpoints` and `writes` by: a file holding those is the
app's checkpoints, which a journal may share (`vfa.cli` tells them by the same columns)."""


_THREAD_HOLD: list[Callable[[EffectJournal, str], Any] | None] = [None]
"""How a deletion holds a thread as the calls of this process do, from a call's check to its record: set by
`vfa._guard_node` (its thread locks; a context manager raising `CallInFlightError` while a call holds it)."""


_BUSY_WAIT_S = 5.0
"""How long opening a journal waits for another connection's write: sqlite3's busy timeout, which every
other statement of the journal waits through."""


def _waited(run: Callable[[], Any]) -> Any:
    """`run()`, again while SQLite answers SQLITE_BUSY at once, up to `_BUSY_WAIT_S`: a switch to WAL, or a
    read turned write, that meets another connection's write lock (another replica making the same new
    file) gets no busy timeout, SQLite calling none where waiting could deadlock; each try holds no lock
    between statements (autocommit), so the other connection finishes meanwhile."""
    deadline = time.monotonic() + _BUSY_WAIT_S
    while True:
        try:
            return run()
        except sqlite3.OperationalError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(0.01)


def _file_name(path: str) -> bool:
    """Whether a path is one the OS can be given (bytes that are not UTF-8 decode to surrogates it takes back)."""
    try:
        os.fsencode(path)
    except UnicodeEncodeError:
        return False
    return True


def owners_file(path: str | os.PathLike[str]) -> None:
    """Make the SQLite file at `path` its owner's alone (mode 0600) if it is not there yet; SQLite gives
    its -wal and -shm files the same mode. An existing file keeps the mode its owner gave it."""
    try:  # made where a link points (O_EXCL refuses a link, even to no file yet, as SQLite does not)
        os.close(os.open(os.path.realpath(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:  # there already, or not to be made: SQLite says why it cannot be opened
        pass


def _file_key(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:  # opened, yet gone (removed meanwhile): its path still names it here
        return os.path.realpath(path)
    return f"file:{st.st_dev}:{st.st_ino}"


_COLUMNS = ("seq", "ts", "thread_id", "call_id", "tool", "kind", "data")


def _read_only(path: str, *, snapshot: bool = False) -> sqlite3.Connection:
    """A connection that cannot write to the file at `path`, once it is known to hold a vfa journal;
    `snapshot`: for one read of the file as it is (see `EffectJournal`)."""
    if path == ":memory:" or not Path(path).is_file():
        raise JournalError(f"no journal file at {path!r} to read")
    # with no write-ahead log beside it, no writer has it open: a snapshot is read as immutable, since a
    # read-only connection to a WAL database would create the log and its index (and leave them behind,
    # or fail in a folder it may not write to); never a reader that goes on reading (immutable, it would
    # never see what a writer appends later)
    real = Path(path).resolve()  # SQLite keeps the log beside the file itself, not beside a link to it
    quiet = "&immutable=1" if snapshot and not real.with_name(f"{real.name}-wal").exists() else ""
    try:
        db = sqlite3.connect(f"{real.as_uri()}?mode=ro{quiet}", uri=True, check_same_thread=False,
                             isolation_level=None)
    except sqlite3.Error as exc:
        raise _unreadable(path, real, quiet, exc, snapshot) from exc
    try:
        columns = tuple(r[1] for r in db.execute("PRAGMA table_info(journal)"))
        guarded = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'journal_no_update'").fetchone()
        later = _later(path, db, ours=_vfa_table(db, columns))
    except sqlite3.Error as exc:
        db.close()
        raise _unreadable(path, real, quiet, exc, snapshot) from exc
    if later is not None:  # before the columns: a later vfa may have changed them
        db.close()
        raise later
    if columns != _COLUMNS or guarded is None:  # another app's table of that name is none of vfa's
        db.close()
        raise JournalError(f"{path!r} is a SQLite database without a vfa journal in it" +
                           (f" (its table 'journal' has the columns {', '.join(columns)})" if columns and columns != _COLUMNS else ""))
    return db


def _unreadable(path: str, real: Path, immutable: str, exc: sqlite3.Error, snapshot: bool = False) -> JournalError:
    """Why the journal at `path` cannot be read: a live reader of a WAL database must make its index
    (`-shm`) beside it, which a folder it may not write to refuses; the file itself is then sound. So must a
    snapshot of a journal whose `-wal` still holds entries (a crash left it): an immutable read ignores it."""
    if not immutable and not real.with_name(f"{real.name}-shm").exists() and not os.access(real.parent, os.W_OK):
        if snapshot:
            return JournalError(f"{path!r} cannot be read: its latest entries are in {real.name}-wal (left by a "
                                f"writer that did not close it, a crash), which SQLite reads only through an index "
                                f"{real.name}-shm it must make in {str(real.parent)!r}, a folder that cannot be "
                                f"written; copy {real.name} with {real.name}-wal to a folder that can be, and read "
                                "it there")
        return JournalError(f"{path!r} cannot be read while writers may append to it: SQLite must make its index "
                            f"{real.name}-shm in {str(real.parent)!r}, a folder that cannot be written; read the "
                            "journal as it is now with read_only=\"snapshot\" (as `vfa journal` does)")
    return JournalError(f"{path!r} cannot be read as a SQLite database ({exc})")


def in_flight(entry: JournalEntry) -> str:
    """What `CallInFlightError` says of a start whose run is still alive."""
    by = entry.data.get("owner") or {}
    return (f"call {entry.call_id!r} of {entry.tool!r} on thread {entry.thread_id!r} is being run by another run "
            f"(process {by.get('pid')} on {by.get('host')!r}, {entry.kind} as journal entry {entry.seq}); nothing "
            "was done: resume the thread once that run has finished")


def failure(error: str, redact: Callable[[str], str] | None, cause: Callable[[str], str | None] | None) -> dict[str, str]:
    """A failed call's record: its error as shown (`redact`), and its cause (`cause`: the error as the
    tool raised it, where the caller may keep it, None where not) where that differs: what a flow
    rebuilding the thread, or an audit, labels again (a value the tool read from the world, quoted
    in its error, is recorded as its results are)."""
    shown = redact(error) if redact is not None else error
    why = cause(error) if cause is not None else None
    return {"error": shown} if why is None or why == shown else {"error": shown, "cause": why}
