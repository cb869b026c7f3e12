"""Erasing a thread while a call of it runs in this process.

What must hold (docs/kernel.md "Erasing a thread": "a call of the thread under way in a live run refuses the
deletion (`CallInFlightError`, nothing deleted)"): a deletion that returns leaves no record of the thread
behind. A read-only tool's call, or an effect's call whose guards are still deciding, is a call under way
just as an effect's commit is: the run holds the thread's lock from the call's check to its record. A
deletion that went ahead meanwhile would return, and the call's record (a tool result in clear) would be
journaled right after it, so the "erased" conversation is still in the journal. So the deletion is refused,
and nothing is deleted: not the journal's entries, nor (`Agent.delete_thread`) the thread's checkpoints.

Fixed: GuardNode.delete_thread takes the thread's lock without waiting (a call holds it from its check to its
record) and refuses with CallInFlightError, nothing deleted; Agent.delete_thread deletes the checkpoints under
that lock (first=).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, CallInFlightError, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

SECRET = "SSN 078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


def _run_in_background(graph) -> threading.Thread:
    run = threading.Thread(target=graph.invoke, args=({"messages": [("user", "look ada up")]}, CFG), daemon=True)
    run.start()
    return run


def test_a_read_only_call_under_way_refuses_the_deletion(tmp_path: Path) -> None:
    inside, go = threading.Event(), threading.Event()

    def lookup(name: str) -> str:
        """Read a customer's record."""
        inside.set()
        go.wait(10)
        return f"{name}: {SECRET}"

    with EffectJournal(tmp_path / "journal.db") as journal:
        agent = Agent(ScriptedModel([("lookup", {"name": "ada"}), "ok"]), [lookup], journal=journal)
        run = _run_in_background(agent.compile())
        try:
            assert inside.wait(10)
            with pytest.raises(CallInFlightError, match="nothing was deleted"):
                agent.delete_thread("t")
        finally:
            go.set()
            run.join(10)
        # refused, so the run's record stands; deleted once the run is over, nothing of it is left
        assert any(e.kind == "ran" for e in journal.entries("t"))
        assert agent.delete_thread("t") > 0
        assert journal.entries("t") == []


def test_an_effect_whose_guards_are_deciding_refuses_the_deletion(tmp_path: Path) -> None:
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
        return f"paid {to}: {SECRET}"

    saver = InMemorySaver()
    with EffectJournal(tmp_path / "journal.db") as journal:
        agent = Agent(ScriptedModel([("pay", {"to": "bob"}), "ok"]), [pay], guards=[slow], journal=journal)
        graph = agent.compile(checkpointer=saver)
        run = _run_in_background(graph)
        try:
            assert inside.wait(10)
            before = saver.get_tuple(CFG)
            assert before is not None
            with pytest.raises(CallInFlightError):
                agent.delete_thread("t", checkpointer=saver)
            # nothing deleted: not the checkpoints either
            assert saver.get_tuple(CFG) is not None
        finally:
            go.set()
            run.join(10)
        assert paid == ["bob"]
        assert agent.delete_thread("t", checkpointer=saver) > 0
        assert journal.entries("t") == [] and saver.get_tuple(CFG) is None
