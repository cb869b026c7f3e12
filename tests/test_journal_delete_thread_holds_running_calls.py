"""`EffectJournal.delete_thread` while a call of the thread runs in this process.

What must hold (docs/kernel.md "Erasing a thread": `EffectJournal.delete_thread` erases "for the journal alone",
and "a call running in this process holds the thread from its check to its record, so a read-only tool's call,
or an effect's guards deciding, refuse it too"; the method's docstring: "Raises `CallInFlightError`, nothing
deleted, while a call of the thread is under way in a live run"): the journal's own deletion, which the
`ConfigError` of `Agent.delete_thread` tells users to call once they have erased the checkpoints themselves
("erase them in its store, then the journal's entries (agent.journal.delete_thread(thread_id))"), refuses
while a call of the thread is under way in this process, as `Agent.delete_thread` and `ToolGate.delete_thread`
do. Before, only the guard node's deletion took the thread's lock: the journal's went ahead (returning 0), and
the call's records (its proposal, start and committed result, or a read-only tool's result in clear) were
journaled right after it, so the "erased" thread was back in the journal, an effect committed on it.

Fixed: EffectJournal.delete_thread holds the thread as the guard nodes' calls do
(vfa._guard_node._holding_thread, registered in vfa._journal._THREAD_HOLD), after refusing an effect under
way.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vfa import ALLOW, Agent, CallInFlightError, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _run(graph) -> threading.Thread:
    run = threading.Thread(target=graph.invoke, args=({"messages": [("user", "go")]}, CFG), daemon=True)
    run.start()
    return run


def test_the_journals_deletion_is_refused_while_an_effects_guards_decide(tmp_path: Path) -> None:
    inside, go = threading.Event(), threading.Event()
    paid: list[str] = []

    @guard
    def slow(proposal, context):
        inside.set()
        go.wait(10)
        return ALLOW

    @effect
    def pay(to: str) -> str:
        """Pay someone."""
        paid.append(to)
        return f"paid {to}"

    with EffectJournal(tmp_path / "journal.db") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob"}), "ok"]), [pay], guards=[slow], journal=journal)
        run = _run(agent.compile())
        try:
            assert inside.wait(10)
            with pytest.raises(CallInFlightError, match="nothing was deleted"):
                journal.delete_thread("t")  # before: went ahead, 0 deleted
        finally:
            go.set()
            run.join(10)
        assert paid == ["bob"]
        assert journal.delete_thread("t") > 0  # once the run is over
        assert journal.entries("t") == []


def test_the_journals_deletion_is_refused_while_a_read_only_call_runs(tmp_path: Path) -> None:
    inside, go = threading.Event(), threading.Event()

    def lookup(name: str) -> str:
        """Read a customer's record."""
        inside.set()
        go.wait(10)
        return f"{name}: SSN 078-05-1120"

    with EffectJournal(tmp_path / "journal.db") as journal:
        agent = Agent(ScriptedModel([("lookup", {"name": "ada"}), "ok"]), [lookup], journal=journal)
        run = _run(agent.compile())
        try:
            assert inside.wait(10)
            with pytest.raises(CallInFlightError, match="nothing was deleted"):
                journal.delete_thread("t")  # before: went ahead, and the result was journaled after it
        finally:
            go.set()
            run.join(10)
        assert journal.delete_thread("t") > 0
        assert journal.entries("t") == []


def test_the_agents_deletion_still_goes_ahead_between_runs(tmp_path: Path) -> None:
    """The guard node's own deletion (which holds the thread's lock itself) is not refused by it."""
    @effect
    def pay(to: str) -> str:
        """Pay someone."""
        return f"paid {to}"

    with EffectJournal(tmp_path / "journal.db") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob"}), "ok"]), [pay], journal=journal)
        agent.compile().invoke({"messages": [("user", "go")]}, CFG)
        assert agent.delete_thread("t") > 0
        assert journal.entries("t") == []
