"""Agent.delete_thread with a compiled checkpointer that cannot delete threads names it, and deletes nothing.

`Agent.compile` keeps every checkpointer it is given whose `delete_thread` is callable, and `delete_thread`
(by default) erases the thread from each of them first. Every `BaseCheckpointSaver` has a callable
`delete_thread`: the base class's raises `NotImplementedError()`, as a saver of a store that keeps no way to
drop a thread (a third party's, an app's own) inherits it. Before the savers were remembered, such an agent's
`delete_thread(thread_id)` erased the journal; now it raises a bare `NotImplementedError` with no message
(sync), or the same from the async fallback (`adelete_thread`), naming neither the saver nor what to do.

What must hold (house rule: bad input gets a clear error naming the problem, nothing committed or lost; docs/kernel.md
"Erasing a thread": refused with `ConfigError` where a saver's checkpoints cannot be erased from here): the
deletion is refused with a `ConfigError` naming the saver's class, and the journal keeps every entry.

Fixed: Agent.delete_thread and adelete_thread check every compiled saver first and refuse one that keeps
BaseCheckpointSaver's delete_thread with a ConfigError naming its class and the way out; nothing is deleted.
"""

from __future__ import annotations

import asyncio

import pytest
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

from conftest import config
from vfa import Agent, ConfigError, EffectJournal
from vfa.testing import ScriptedModel


class KeepsThreads(BaseCheckpointSaver):
    """A store's saver with no way to delete a thread (its `delete_thread` is the base class's)."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = InMemorySaver()

    def get_tuple(self, config):
        return self.inner.get_tuple(config)

    def list(self, *args, **kwargs):
        return self.inner.list(*args, **kwargs)

    def put(self, *args, **kwargs):
        return self.inner.put(*args, **kwargs)

    def put_writes(self, *args, **kwargs):
        return self.inner.put_writes(*args, **kwargs)

    def get_next_version(self, *args, **kwargs):
        return self.inner.get_next_version(*args, **kwargs)


def _agent(bank):
    transfer, lookup = bank.tools()
    agent = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "done"]), [transfer, lookup],
                  bank.guards(), journal=EffectJournal())
    saver = KeepsThreads()
    app = agent.compile(checkpointer=saver)
    app.invoke({"messages": [("user", "pay bob")]}, config())
    return agent, app, saver


@pytest.mark.parametrize("how", ["sync", "async"])
def test_a_saver_that_cannot_delete_threads_is_named(bank, how):
    agent, app, saver = _agent(bank)
    before = len(agent.journal.entries("t1"))
    assert before
    with pytest.raises(ConfigError, match="KeepsThreads"):
        if how == "sync":
            agent.delete_thread("t1")
        else:
            asyncio.run(agent.adelete_thread("t1"))
    assert len(agent.journal.entries("t1")) == before, "nothing is deleted"
    assert app is not None and saver is not None  # held: the agent's graph and saver stay alive


@pytest.mark.parametrize("how", ["sync", "async"])
def test_an_object_that_is_no_checkpointer_given_as_one_is_named(bank, how):
    """`checkpointer=` given an object with no `delete_thread` at all: a ConfigError naming it, not AttributeError."""
    agent, app, saver = _agent(bank)
    before = len(agent.journal.entries("t1"))
    with pytest.raises(ConfigError, match="dict cannot delete a thread"):
        if how == "sync":
            agent.delete_thread("t1", checkpointer={})
        else:
            asyncio.run(agent.adelete_thread("t1", checkpointer={}))
    assert len(agent.journal.entries("t1")) == before
