"""Erasing a conversation: `Agent.delete_thread` deletes its checkpoints, then its journal entries.

What must hold: the thread's entries are gone from the journal and their values from the file's bytes
(the journal holds tool results in clear: a user's right to erasure reaches it), other threads are
untouched, the journal stays append-only for every other write, a thread id used again starts a new
conversation (its calls run, not answered from the deleted record), a call of the thread under way
refuses the deletion with nothing deleted, and bad input is named.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from vfa import Agent, CallInFlightError, EffectJournal, JournalError, effect
from vfa.testing import ScriptedModel

SECRET = "SSN 078-05-1120 of Ada Quist"


def _agent(journal: EffectJournal, ran: list[str]) -> Agent:
    @effect
    def lookup(name: str) -> str:
        """Read a customer's record."""
        ran.append(name)
        return f"{name}: {SECRET}"

    return Agent(ScriptedModel([("lookup", {"name": "ada"}), "ok"]), [lookup], journal=journal)


def _run(graph, thread: str) -> None:
    graph.invoke({"messages": [("user", "look ada up")]}, {"configurable": {"thread_id": thread}})


def _bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_a_deleted_thread_leaves_no_entry_no_checkpoint_and_no_bytes(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    ran: list[str] = []
    with EffectJournal(path) as journal, SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
        agent = _agent(journal, ran)
        graph = agent.compile(checkpointer=saver)
        _run(graph, "gone")
        _run(graph, "kept")
        assert SECRET.encode() in _bytes(path)
        kept = journal.entries("kept")

        deleted = agent.delete_thread("gone", checkpointer=saver)

        assert deleted > 0
        assert journal.entries("gone") == [] and "gone" not in journal.threads()
        assert saver.get_tuple({"configurable": {"thread_id": "gone"}}) is None
        assert journal.entries("kept") == kept
        assert saver.get_tuple({"configurable": {"thread_id": "kept"}}) is not None
        # the other thread still holds the value: deleted from "gone" only
        assert _bytes(path).count(SECRET.encode()) >= 1
        agent.delete_thread("kept", checkpointer=saver)
    assert SECRET.encode() not in _bytes(path)


def test_the_journal_stays_append_only_after_a_deletion(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with EffectJournal(path) as journal:
        journal.append([("t1", "c1", "lookup", "proposed", {"args": {}}), ("t2", "c1", "lookup", "proposed", {"args": {}})])
        assert journal.delete_thread("t1") == 1
        assert journal.delete_thread("t1") == 0  # deleting again finds nothing: not an error
    db = sqlite3.connect(path)
    try:
        for sql in ("DELETE FROM journal", "UPDATE journal SET data = '{}'"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(sql)
    finally:
        db.close()
    with EffectJournal(path) as journal:
        assert [e.thread_id for e in journal.entries()] == ["t2"]


def test_a_thread_id_used_again_starts_a_new_conversation(tmp_path: Path) -> None:
    ran: list[str] = []
    with EffectJournal(tmp_path / "journal.db") as journal, SqliteSaver.from_conn_string(":memory:") as saver:
        agent = _agent(journal, ran)
        graph = agent.compile(checkpointer=saver)
        _run(graph, "t")
        agent.delete_thread("t", checkpointer=saver)
        _run(graph, "t")  # the script's call ids repeat: a kept record would answer the call unrun
        assert ran == ["ada", "ada"]
        assert [e.kind for e in journal.entries("t") if e.kind == "committed"] == ["committed"]


def test_a_call_under_way_refuses_the_deletion_with_nothing_deleted(tmp_path: Path) -> None:
    journal = EffectJournal(tmp_path / "journal.db")
    seen: list[BaseException] = []

    @effect
    def erase_me(note: str) -> str:
        """Try to erase the thread this call runs on."""
        try:
            journal.delete_thread("busy")
        except CallInFlightError as exc:
            seen.append(exc)
        return "tried"

    agent = Agent(ScriptedModel([("erase_me", {"note": "x"}), "ok"]), [erase_me], journal=journal)
    with journal:
        _run(agent.compile(), "busy")
        assert len(seen) == 1 and "erase_me" in str(seen[0]) and "nothing was deleted" in str(seen[0])
        assert any(e.kind == "committed" for e in journal.entries("busy"))


def test_a_read_only_journal_and_bad_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with EffectJournal(path) as journal:
        journal.append([("t", "c", "lookup", "proposed", {"args": {}})])
        for bad in (None, "", 3):
            with pytest.raises(TypeError, match="thread_id"):
                journal.delete_thread(bad)  # type: ignore[arg-type]
    with EffectJournal(path, read_only=True) as reader:
        with pytest.raises(JournalError):
            reader.delete_thread("t")
    with EffectJournal(path) as journal:
        assert len(journal.entries("t")) == 1


def test_the_privacy_flow_forgets_a_deleted_thread(tmp_path: Path) -> None:
    from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ada", "ssn": "078-05-1120"}

    with EffectJournal(tmp_path / "journal.db") as journal:
        flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
        agent = Agent(ScriptedModel([("get_profile", {}), "ok"]), [get_profile], guards=[flow.guard()],
                      journal=journal, flow=flow)
        _run(agent.compile(), "t")
        assert "t" in flow._thread_seen
        agent.delete_thread("t")
        assert "t" not in flow._thread_seen and journal.entries("t") == []


def test_adelete_thread_with_an_async_checkpointer(tmp_path: Path) -> None:
    async def main() -> None:
        ran: list[str] = []
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
            with EffectJournal(tmp_path / "journal.db") as journal:
                agent = _agent(journal, ran)
                graph = agent.compile(checkpointer=saver)
                config = {"configurable": {"thread_id": "t"}}
                await graph.ainvoke({"messages": [("user", "look ada up")]}, config)
                assert await agent.adelete_thread("t", checkpointer=saver) > 0
                assert await saver.aget_tuple(config) is None
                assert journal.entries("t") == []

    asyncio.run(main())
