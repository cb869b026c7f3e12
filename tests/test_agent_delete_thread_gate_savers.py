"""`Agent.delete_thread` erases the thread's checkpoints in the saver of an app guarded by `guard_graph` or by
`GuardMiddleware` on the same journal file, as it does for another `Agent` on that file.

What must hold (vfa._savers: "the savers of the guard nodes sharing `journal`'s file ... erasing a thread erases its
entries in the file, those another agent journaled too, so its checkpoints in that agent's saver go first (left,
the thread would resume with no record of what it committed)"; `GuardNode.savers`: "The checkpointers this node's
runs (and those of every node on its journal's file) were saved in"): the erasure deletes the app's journal
entries of the thread, so it must delete the app's checkpoints of it first, or refuse (`ConfigError`, nothing
deleted) where that saver is no longer held.

Before: only `GuardNode._func` (an `Agent`'s tool node) noted its run's saver; a gate's calls (`ToolGate.settle`,
the path of every `guard_graph` ToolNode and of `GuardMiddleware`) go through `GuardNode.handle` and noted none,
so the app's journal entries were erased while its checkpoints (holding the tool's result) stayed.

Fixed: ToolGate.settle notes the run's checkpointer in the journal file's savers, as GuardNode._func does.
"""

from __future__ import annotations


import gc
from pathlib import Path
from typing import Any

from _checkpoint_files import checkpoints_left
import pytest
from langchain.agents import create_agent
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from graphs import GuardMiddleware, guard_graph
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


@tool
def send(to: str) -> str:
    """Send a letter."""
    return f"sent to {to}: receipt SECRET-4711"


def _script() -> ScriptedModel:
    return ScriptedModel([("send", {"to": "bob"}), "done"])


def _tool_node_app(saver: Any, journal: EffectJournal) -> Any:
    model = _script()
    builder = StateGraph(MessagesState)
    builder.add_node("agent", lambda s: {"messages": [model.invoke(s["messages"])]})
    builder.add_node("tools", ToolNode([send]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    return guard_graph(builder, journal=journal, checkpointer=saver)


def _middleware_app(saver: Any, journal: EffectJournal) -> Any:
    return create_agent(_script(), [send], middleware=[GuardMiddleware(journal=journal)], checkpointer=saver)


def _checkpoints(saver: Any, thread: str) -> int:
    return len(list(saver.list({"configurable": {"thread_id": thread}})))


@pytest.mark.parametrize("make", [_tool_node_app, _middleware_app], ids=["guard_graph", "GuardMiddleware"])
def test_an_app_on_the_agents_journal_file_has_its_checkpoints_erased(tmp_path: Path, make: Any) -> None:
    saver = InMemorySaver()
    with EffectJournal(tmp_path / "j.db") as app_journal, EffectJournal(tmp_path / "j.db") as agent_journal:
        agent = Agent(ScriptedModel(["done"]), [pay], journal=agent_journal)
        app = make(saver, app_journal)
        app.invoke({"messages": [("user", "send bob a letter")]}, {"configurable": {"thread_id": "t"}})
        assert list(app_journal.entries("t")) and _checkpoints(saver, "t") > 0

        assert agent.delete_thread("t") > 0  # the app's entries of the thread, in the shared file

        assert list(app_journal.entries("t")) == []
        assert _checkpoints(saver, "t") == 0  # was: left, with the tool's result in it


def test_an_apps_file_saver_let_go_has_its_file_erased_all_the_same(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as app_journal, EffectJournal(tmp_path / "j.db") as agent_journal:
        agent = Agent(ScriptedModel(["done"]), [pay], journal=agent_journal)
        with SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
            app = _tool_node_app(saver, app_journal)
            app.invoke({"messages": [("user", "send bob a letter")]}, {"configurable": {"thread_id": "t"}})
            del app
        del saver
        gc.collect()

        # the saver let go, its file is reached all the same, through a connection of vfa's own
        assert agent.delete_thread("t") > 0
        assert not list(app_journal.entries("t"))
        assert checkpoints_left(tmp_path / "cp.db", "t") == 0

