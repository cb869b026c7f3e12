"""An `ainvoke` cancelled while its effect runs stops the guarded calls the effect makes,
and the effect, cut off, is journaled as failed.

What must hold (README, exactly once; `tests/test_exactly_once_cancelled_run_starts_no_effect.py`): "A run
whose `ainvoke` is cancelled before its effect began never begins it"; an effect already running when the
cancel lands still finishes and commits. What the effect does, the guarded calls of a helper agent it runs
included, is part of it: a cancelled caller must not cut an effect off half-way (a hotel booked, the flight
refused), and never turns it into a failure of its own.

A cancelled `ainvoke` marks its worker's context (`vfa._effects.off_loop` sets `_GONE`), and
`EffectJournal.commit` (`vfa/_journal.py`) refuses to begin an effect in such a context (`caller_gone()`).
A sync effect runs in that very context, so a helper agent it runs (`helper.invoke`) finds the mark at
each of its own commits: the helper's payment is refused with `CancelledError`, which LangGraph raises out
of the helper as `NodeCancelledError`, an `Exception`, and the outer commit journals it as the effect's own
failure: terminal, never recovered, the model told the booking failed though it ran half-way.

Input: agent A's effect `book_trip` waits until its `ainvoke` has been cancelled, then runs a helper
agent (sync) that pays the hotel. Expected: the hotel is paid and `book_trip` is committed.

Fixed: `_open_commit` (`vfa/_effects.py`) clears the caller-gone mark for the length of the commit; a run
cancelled before its effect begins is still refused.
"""

from __future__ import annotations

import asyncio
import threading

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


def _call(name: str, args: dict, call_id: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}])


def test_a_running_effect_finishes_its_helpers_calls_after_its_caller_is_cancelled():
    paid: list[str] = []
    running, cancelled = threading.Event(), threading.Event()
    journal = EffectJournal()

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(to)
        return f"paid {to}"

    @effect
    def book_trip(where: str) -> str:
        """Book the trip through the payments helper."""
        running.set()
        cancelled.wait(10)  # the caller gives up while the effect runs
        helper = Agent(ScriptedModel([_call("pay", {"to": "hotel", "amount": 1}, "h1"), "done"]), [pay], journal=journal)
        out = helper.compile().invoke({"messages": [("user", f"book {where}")]}, {"configurable": {"thread_id": "helper"}})
        return " ".join(m.content for m in out["messages"] if m.type == "tool")

    agent = Agent(ScriptedModel([_call("book_trip", {"where": "rome"}, "t1"), "done"]), [book_trip], journal=journal)
    app = agent.compile(checkpointer=InMemorySaver())

    async def scenario() -> None:
        run = asyncio.ensure_future(app.ainvoke({"messages": [("user", "book rome")]}, {"configurable": {"thread_id": "t"}}))
        for _ in range(1000):
            if running.is_set():
                break
            await asyncio.sleep(0.01)
        run.cancel()
        try:
            await run
        except asyncio.CancelledError:
            pass
        cancelled.set()
        for _ in range(1000):  # the cancelled run's worker finishes the effect
            if journal.last("t", "t1") is not None and journal.last("t", "t1").kind != "started":
                break
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    outcome = journal.last("t", "t1")
    assert paid == ["hotel"], "the helper's payment, part of an effect already running, was refused"
    assert (outcome.kind, outcome.data.get("error")) == ("committed", None), (
        f"the effect running when its caller was cancelled is journaled {outcome.kind}: {outcome.data.get('error')}")
