"""Runs without a thread id that are handed one message object are still runs of their own.

`thread_key` (vfa/_guard_node.py) keys a run without a thread id by the ids of the messages it was given,
and promises "each run gets its own key: one run's call ids (scripted models reuse them) never answer
another run's calls". LangGraph's `add_messages` reducer gives an id-less message its id by writing it
*into the caller's object* (`m.id = uuid4()`). So an app that hands several runs one message object
(`app.batch([{"messages": [msg]}] * 3)`, or `invoke` twice with one prompt object) gets one key for all of
them: the second and third runs' calls are answered from the first run's journal record, reported as
committed, and never run (two payments silently lost); with a model whose call ids differ the runs share
one thread's history, labels and handles instead.

What must hold: each run pays, and its call is journaled under a key of its own.

The same for a retrofitted graph, also on its copies (`with_config`, `copy`: LangGraph's `Pregel.copy`
rebuilds it as `self.__class__(**attrs)`) and with a state schema that is a pydantic model or a dataclass
(LangGraph takes an instance of it as input); and the caller's message keeps no id.

Fixed: a run copies the id-less messages it is given before LangGraph stamps them
(GuardedGraph.stream/astream, and the retrofit's graph, whose class is kept, through a subclass of it that
does the same under its messages_key). The key lives on the generated subclass (one per app class and key),
which LangGraph's copies keep; a pydantic or dataclass state input is copied too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from typing import Annotated, Any

import pytest
from _tool_loop import tool_loop
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import add_messages
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from pydantic import BaseModel
from typing_extensions import TypedDict

import graphs

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


def _app(paid: list[str]) -> tuple[object, EffectJournal]:
    lock = threading.Lock()

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        with lock:
            paid.append(to)
        return f"paid {amount} to {to}"

    journal = EffectJournal()
    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], journal=journal).compile()
    return app, journal


def _committed_keys(journal: EffectJournal) -> set[str]:
    return {e.thread_id for e in journal.entries() if e.kind == "committed"}


def test_batch_of_runs_sharing_one_message_object_each_commit() -> None:
    paid: list[str] = []
    app, journal = _app(paid)
    msg = HumanMessage("pay bob 5")
    outs = app.batch([{"messages": [msg]} for _ in range(3)])
    assert all(isinstance(o["messages"][-2], ToolMessage) for o in outs)
    assert len(paid) == 3, (f"three runs, each told 'paid 5 to bob', paid {len(paid)} time(s): the runs share one "
                            f"journal key {sorted(_committed_keys(journal))} (LangGraph stamped the shared message's id)")
    assert len(_committed_keys(journal)) == 3


def test_runs_one_after_another_with_one_message_object_each_commit() -> None:
    paid: list[str] = []
    app, journal = _app(paid)
    msg = HumanMessage("pay bob 5")
    for _ in range(2):
        app.invoke({"messages": [msg]})
    assert len(paid) == 2, f"two runs paid {len(paid)} time(s): the second was answered from the first's record"
    assert len(_committed_keys(journal)) == 2


def _retrofitted(paid: list[str], key: str = "messages", state: Any = None) -> tuple[Any, EffectJournal]:
    lock = threading.Lock()

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        with lock:
            paid.append(to)
        return f"paid {amount} to {to}"

    model = ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"])

    def agent(s: Any) -> dict[str, Any]:
        return {key: [model.invoke(s[key] if isinstance(s, dict) else getattr(s, key))]}

    state = state or TypedDict("State", {key: Annotated[list, add_messages]})  # noqa: UP013 - a key chosen per test
    journal = EffectJournal()
    loop = tool_loop(agent, ToolNode([pay], messages_key=key), state, key=key)
    return graphs.guard_graph(loop, journal=journal, messages_key=key), journal


@pytest.mark.parametrize("key", ["messages", "chat"])
def test_a_retrofitted_graphs_batch_sharing_one_message_object_each_commit(key: str) -> None:
    paid: list[str] = []
    app, journal = _retrofitted(paid, key)
    msg = HumanMessage("pay bob 5")
    app.batch([{key: [msg]} for _ in range(3)])
    assert len(paid) == 3 and len(_committed_keys(journal)) == 3, paid
    assert msg.id is None  # the caller's object is left as it was


def test_a_retrofitted_graph_keeps_its_class_and_async_runs_commit_too() -> None:
    paid: list[str] = []
    app, journal = _retrofitted(paid)
    assert isinstance(app, CompiledStateGraph) and type(app).__name__ == "CompiledStateGraph"
    msg = HumanMessage("pay bob 5")
    asyncio.run(app.abatch([{"messages": [msg]} for _ in range(2)]))
    assert len(paid) == 2 and len(_committed_keys(journal)) == 2


@pytest.mark.parametrize("how", ["with_config", "copy"])
def test_a_copy_of_a_retrofitted_graph_keeps_its_messages_key(how: str) -> None:
    paid: list[str] = []
    app, _ = _retrofitted(paid, "chat")
    app = app.with_config(recursion_limit=40) if how == "with_config" else app.copy()
    msg = HumanMessage("pay bob 5")
    for _ in range(3):
        app.invoke({"chat": [msg]})
    assert len(paid) == 3, f"three runs paid {len(paid)} time(s): the copy copied no message under 'chat'"
    assert msg.id is None


class ModelState(BaseModel):
    messages: Annotated[list, add_messages]


@dataclasses.dataclass
class DataState:
    messages: Annotated[list, add_messages]


@pytest.mark.parametrize("state", [ModelState, DataState], ids=["pydantic", "dataclass"])
def test_runs_given_one_message_in_a_typed_state_each_pay(state: type) -> None:
    paid: list[str] = []
    app, _ = _retrofitted(paid, state=state)
    msg = HumanMessage("pay bob 5")
    for _ in range(3):
        app.invoke(state(messages=[msg]))
    assert len(paid) == 3, f"three runs paid {len(paid)} time(s): they shared the stamped message's journal key"
    assert msg.id is None
