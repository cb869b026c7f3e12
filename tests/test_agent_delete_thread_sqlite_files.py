"""A saver closed while a thread is erased (another request's, ended meanwhile) does not break the erasure.

What must hold (docs/kernel.md "Erasing a thread": checkpoints erased from each saver still held, then the journal; a
failure leaves the journal entries, "call it again to finish"; bad input gets a clear error): a service builds its
agent per request on one journal file, each request with its own `SqliteSaver` on one checkpoint file, on several
threads. Request A erases a thread while request B runs: B's saver is among those held, and B may end (its saver
closed) between A's `delete_thread` reading the held savers and erasing from B's.

- Another saver on B's file erased the thread there (A's own): the erasure is complete, no error.
- None is left on B's file: its file is erased all the same.

Before: a bare `sqlite3.ProgrammingError: Cannot operate on a closed database.` in both cases (a soak of four
request threads on one checkpoint file met it within 500 requests). The moment B ends is made deterministic
here: the first saver erased from closes B's before its own erasure.

Fixed: a SQLite checkpointer's file is erased through a connection of vfa's own, once per file, never through
another request's saver (`vfa._savers._erase_file`); a soak of 200 requests on 4 threads closing their savers
crashed the interpreter (sqlite3, a connection closed under another thread's use) before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from vfa import Agent, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


class _Saver(SqliteSaver):
    """A `SqliteSaver`; request A's (given `request_b`): erasing from it is the moment request B ends (B's saver
    closed). One class for both: a store is matched by its saver's kind and file."""

    request_b: Any = None

    def delete_thread(self, thread_id: str) -> None:
        if self.request_b is not None:
            self.request_b.conn.close()
        super().delete_thread(thread_id)


def _agent(journal: str) -> Agent:
    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), [pay], journal=journal)


def _run(agent: Agent, saver: Any, thread: str) -> None:
    agent.compile(checkpointer=saver).invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": thread}})


def test_a_saver_closed_meanwhile_stands_aside_for_one_on_its_file(tmp_path: Path) -> None:
    journal, checkpoints = str(tmp_path / "j.db"), str(tmp_path / "cp.db")
    with _agent(journal) as a, _agent(journal) as b, \
            _Saver.from_conn_string(checkpoints) as saver_a, _Saver.from_conn_string(checkpoints) as saver_b:
        saver_a.request_b = saver_b
        _run(a, saver_a, "a")
        _run(b, saver_b, "b")
        assert a.delete_thread("a") > 0
        assert list(saver_a.list({"configurable": {"thread_id": "a"}})) == [], "checkpoints of 'a' left in cp.db"
        assert list(a.journal.entries("a")) == []


def test_the_last_saver_on_a_file_closed_meanwhile_does_not_stop_the_erasure_of_its_file(tmp_path: Path) -> None:
    journal = str(tmp_path / "j.db")
    with _agent(journal) as a, _agent(journal) as b, \
            _Saver.from_conn_string(str(tmp_path / "cp_a.db")) as saver_a, \
            _Saver.from_conn_string(str(tmp_path / "cp_b.db")) as saver_b:
        saver_a.request_b = saver_b
        _run(a, saver_a, "t")
        _run(b, saver_b, "t")
        assert a.delete_thread("t") > 0  # each file through a connection of vfa's own, never another request's
        for path in ("cp_a.db", "cp_b.db"):
            with SqliteSaver.from_conn_string(str(tmp_path / path)) as saver:
                assert list(saver.list({"configurable": {"thread_id": "t"}})) == [], path


def test_a_sqlite_file_is_erased_through_a_connection_of_vfas_own(tmp_path: Path) -> None:
    """Another request's `SqliteSaver` is never used to erase (that request may close it at any time: sqlite3
    crashed the interpreter, a closed connection used from another thread); its file is, once, through vfa's own."""
    journal = str(tmp_path / "j.db")
    used: list[str] = []

    class Watched(SqliteSaver):
        def delete_thread(self, thread_id: str) -> None:
            used.append(thread_id)
            super().delete_thread(thread_id)

    with _agent(journal) as a, Watched.from_conn_string(str(tmp_path / "cp.db")) as saver:
        _run(a, saver, "t")
        assert a.delete_thread("t") > 0
        assert used == [], "the erasure went through the request's own connection"
        assert list(saver.list({"configurable": {"thread_id": "t"}})) == []


def test_the_erased_values_are_not_left_in_the_file(tmp_path: Path) -> None:
    """The thread's checkpoints go from the file's bytes too (secure_delete, the log checkpointed)."""
    journal = str(tmp_path / "j.db")
    with _agent(journal) as a, SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
        _run(a, saver, "t")
        marker = b"paid"  # in the tool's result, kept in the checkpoints
        before = b"".join(p.read_bytes() for p in tmp_path.glob("cp.db*"))
        assert marker in before
        assert a.delete_thread("t") > 0
        after = b"".join(p.read_bytes() for p in tmp_path.glob("cp.db*"))
        assert marker not in after
