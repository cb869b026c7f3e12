"""An agent, a guard node and a journal are closed by `close()` or a `with` block: the journal the agent
opened from a path is closed (its file is then free to remove and reopen), one given open stays open for
its caller, a closed agent's calls are denied rather than run, and closing twice does nothing."""

from __future__ import annotations

import sqlite3

import pytest
from langchain_core.messages import HumanMessage

from vfa import Agent, EffectJournal, JournalError, effect
from vfa.testing import ScriptedModel

done: list[str] = []


@effect
def note(text: str) -> str:
    """Write a note."""
    done.append(text)
    return "noted"


def _agent(journal):
    return Agent(ScriptedModel([("note", {"text": "hi"}), "ok"]), [note], journal=journal)


def test_agent_closes_the_journal_it_opened(tmp_path):
    path = tmp_path / "j.sqlite"
    with _agent(str(path)) as agent:
        agent.compile().invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
        journal = agent.journal
    with pytest.raises(JournalError, match=r"j\.sqlite.* was closed"):  # said so, with the journal's name
        journal.entries("t")
    agent.close()  # again: nothing
    with EffectJournal(path) as again:  # what was committed is on disk
        assert [e.kind for e in again.entries("t") if e.kind == "committed"] == ["committed"]


def test_agent_leaves_a_journal_given_open(tmp_path):
    with EffectJournal(tmp_path / "j.sqlite") as journal:
        with _agent(journal) as agent:
            agent.compile().invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
        assert journal.entries("t")  # still open: the caller's
    with pytest.raises(JournalError):
        journal.entries("t")


def test_closed_agent_runs_no_effect(tmp_path):
    done.clear()
    agent = _agent(str(tmp_path / "j.sqlite"))
    graph = agent.compile()
    agent.close()
    with pytest.raises(JournalError, match="was closed"):  # fail closed: a call that cannot be journaled is not run
        graph.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    assert done == []


def test_journal_with_block_closes_connection(tmp_path):
    with EffectJournal(tmp_path / "j.sqlite") as journal:
        db = journal._db
    with pytest.raises(sqlite3.ProgrammingError):
        db.execute("SELECT 1")
    journal.close()


def test_tool_gate_closes_the_journal_it_opened(tmp_path):
    from graphs import ToolGate

    with ToolGate([], journal=str(tmp_path / "g.sqlite")) as gate:
        journal = gate.journal
        assert journal.entries("t") == []
    with pytest.raises(JournalError):
        journal.entries("t")
    with EffectJournal(tmp_path / "h.sqlite") as given:
        ToolGate([], journal=given).close()
        assert given.entries("t") == []  # the caller's: still open
