"""A journal that fails to open, or whose guard node's set-up is refused, leaves no connection open.

`EffectJournal._open` connects to the file, then reads and prepares it; a `sqlite3.Error` on the way (a
damaged file: "file is not a database", a read-only folder the WAL switch fails in) becomes a
`JournalError` naming the file, but the connection made is never closed. A `GuardNode` (an `Agent`, a
`ToolGate`, a `GuardMiddleware`) given a path opens its journal before its later set-up checks (a flow
that is no `Flow`, a `messages_key` that is no text, the privacy flow refusing a tool at `bind`), and
a refusal there drops the open journal too. A `sqlite3.Connection` is a reference cycle (its statement
cache refers back to it), so reference counts never close it: its descriptor stays open until a cyclic
garbage collection. A service that retries its set-up (a damaged journal it reports and retries, agents
built per request with a rejected configuration) leaks a descriptor per attempt in between, and may run
out of them.

What must hold: a constructor that raises leaves every connection it opened closed.

Fixed: EffectJournal._open closes the connection before raising; GuardNode runs its checks first, opens the
journal last, and closes one it opened if the flow's bind refuses.
"""

from __future__ import annotations

import gc
import os

import pytest

from vfa import EffectJournal, GuardNode, JournalError

_TRIES = 20


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _leaked(attempt) -> int:
    """Descriptors left open by `_TRIES` failed attempts, with only reference counts freeing objects."""
    attempt()
    was = gc.isenabled()
    gc.disable()
    try:
        before = _fds()
        for _ in range(_TRIES):
            attempt()
        return _fds() - before
    finally:
        if was:
            gc.enable()
        gc.collect()


def test_a_damaged_journal_file_is_refused_with_its_connection_closed(tmp_path):
    path = tmp_path / "journal.db"
    path.write_bytes(b"not a database, whatever the name says " * 200)

    def attempt() -> None:
        with pytest.raises(JournalError, match="file is not a database"):
            EffectJournal(path)

    assert _leaked(attempt) == 0
    assert path.read_bytes().startswith(b"not a database")  # left as it was


def test_a_guard_node_refused_at_set_up_closes_the_journal_it_opened(tmp_path):
    path = str(tmp_path / "journal.db")

    def attempt() -> None:
        with pytest.raises(TypeError, match="messages_key"):
            GuardNode([], journal=path, messages_key="")

    assert _leaked(attempt) == 0


def test_a_journal_given_open_is_left_open_by_a_refused_guard_node(tmp_path):
    journal = EffectJournal(tmp_path / "journal.db")
    with pytest.raises(TypeError, match="messages_key"):
        GuardNode([], journal=journal, messages_key="")
    assert journal.entries() == []  # the caller's: still usable
    journal.close()
