"""`Agent.delete_thread` erases the thread's checkpoints wherever its graph's runs were checkpointed, not only in
the saver `compile` was given.

What must hold (docs/kernel.md "Erasing a thread": its checkpoints first, then its journal entries; a journal without its
checkpoints would have a resumed thread run its effects again): an agent's graph used as a subgraph of an app
(compiled with `checkpointer=True`, with None, or with a saver of its own, which LangGraph overrides with the
parent's) is checkpointed in the parent's saver; erasing the thread through the agent leaves no checkpoint of it
there, or refuses (`ConfigError`, nothing deleted) where that saver is no longer held. The same for a graph the
user compiled from `agent.builder()`, and for another agent on the same journal file (whose entries of the thread
the erasure deletes too) and its saver. Before, each of these erased the journal alone and silently: the thread's
tool results stayed in the parent's checkpoints, and the thread could be resumed without its record.

Fixed: the guard node notes the checkpointer of each run (the parent's, for a subgraph), and the savers are
shared by the guard nodes of one journal file (vfa._savers.Savers).
"""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, MessagesState, StateGraph

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}: receipt SECRET-4711"


def _agent(journal: EffectJournal) -> Agent:
    return Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"] * 2), [pay], journal=journal)


def _app(sub: Any, saver: Any) -> Any:
    parent = StateGraph(MessagesState)
    parent.add_node("inner", sub)
    parent.add_edge(START, "inner")
    parent.add_edge("inner", END)
    return parent.compile(checkpointer=saver)


def _run(graph: Any, thread: str) -> None:
    graph.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": thread}})


def _checkpoints(saver: Any, thread: str) -> int:
    return len(list(saver.list({"configurable": {"thread_id": thread}})))


@pytest.mark.parametrize("own", [True, None, "a saver of its own"])
def test_a_subgraphs_checkpoints_in_the_parents_saver_are_erased(own: Any) -> None:
    saver = InMemorySaver()
    with EffectJournal(":memory:") as journal:
        agent = _agent(journal)
        app = _app(agent.compile(checkpointer=InMemorySaver() if isinstance(own, str) else own), saver)
        for thread in ("gone", "kept"):
            _run(app, thread)
        assert "SECRET-4711" in repr(app.get_state({"configurable": {"thread_id": "gone"}}).values)

        assert agent.delete_thread("gone") > 0

        assert _checkpoints(saver, "gone") == 0
        assert "SECRET-4711" not in repr(app.get_state({"configurable": {"thread_id": "gone"}}).values)
        assert _checkpoints(saver, "kept") > 0 and list(journal.entries("kept"))


def test_a_graph_compiled_from_the_builder_has_its_checkpoints_erased() -> None:
    saver = InMemorySaver()
    with EffectJournal(":memory:") as journal:
        agent = _agent(journal)
        _run(agent.builder().compile(checkpointer=saver), "gone")

        assert agent.delete_thread("gone") > 0
        assert _checkpoints(saver, "gone") == 0


def test_a_parents_file_saver_let_go_has_its_file_erased_all_the_same(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal:
        agent = _agent(journal)
        sub = agent.compile(checkpointer=True)
        conn = sqlite3.connect(tmp_path / "cp.db", check_same_thread=False)
        _run(_app(sub, SqliteSaver(conn)), "gone")
        gc.collect()  # the app and its saver are gone; the checkpoints stay in the file

        # the parent's saver let go, its file is reached all the same, through a connection of vfa's own
        assert agent.delete_thread("gone") > 0
        assert conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id='gone'").fetchone() == (0,)
        conn.close()


def test_agents_sharing_a_journal_file_erase_each_others_checkpoints(tmp_path: Path) -> None:
    """Erasing a thread erases its entries in the journal's file, those another agent on that file journaled
    too: that agent's checkpoints of the thread go first (left, its thread would resume with no record)."""
    mine, theirs = InMemorySaver(), InMemorySaver()
    with EffectJournal(tmp_path / "j.db") as a_journal, EffectJournal(tmp_path / "j.db") as b_journal:
        a, b = _agent(a_journal), _agent(b_journal)
        a.compile(checkpointer=mine)
        graph = b.compile(checkpointer=theirs)
        _run(graph, "t")
        assert list(a_journal.entries("t")) and _checkpoints(theirs, "t") > 0

        assert a.delete_thread("t") > 0

        assert list(b_journal.entries("t")) == []
        assert _checkpoints(theirs, "t") == 0
