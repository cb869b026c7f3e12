"""A question whose guard's evidence holds an iterator is asked, and the thread goes on once answered.

`payload()` writes a question's arguments as JSON ("a checkpointer keeps it as plain values")
but hands LangGraph the guard's evidence as the guard built it. The chain checks that a verdict can be
journaled by writing it as JSON, which reads an iterator (a `map`, a generator) as the list it yields, so
such evidence passes; LangGraph's serialiser cannot save it, and every run of the thread fails with
"TypeError: Type is not msgpack serializable: Interrupt", naming neither the guard nor its evidence: the
question is never shown, and the thread is stuck.

What must hold: the question is shown with its evidence as plain JSON values (what the checkpointer keeps and
a client reads), an approval commits the call once, and the evidence of an ordinary question is unchanged.

Fixed: _escalation.payload writes the evidence as the journal's JSON values (what JSON cannot carry by its
repr).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel

EVIDENCE = {
    "map": lambda: {"limits": map(int, ["100", "200"])},
    "generator": lambda: {"payees": (p for p in ["ann", "bob"])},
    "plain": lambda: {"limit": 100, "payees": ["ann"]},
}


@pytest.mark.parametrize("kind", list(EVIDENCE))
def test_a_question_with_iterator_evidence_is_asked_and_answered(kind: str) -> None:
    paid: list[Any] = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        paid.append((to, amount))
        return "sent"

    @guard
    def confirm(p: Any, c: Any) -> Any:
        return Escalate(question="pay?", evidence=EVIDENCE[kind]())

    calls = [{"name": "transfer", "id": "a", "args": {"to": "ann", "amount": 1}}]
    model = ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=calls) if not any(m.type == "tool" for m in ms) else "done")
    app = Agent(model, [transfer], guards=[confirm]).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "pay ann")]}, cfg)  # before: TypeError (msgpack) for an iterator
    (asked,) = out["__interrupt__"]
    evidence = asked.value["evidence"]
    assert all(isinstance(v, (str, int, list)) for v in evidence.values()), evidence
    if kind == "plain":
        assert evidence == EVIDENCE["plain"]()
    app.invoke(Command(resume={asked.id: {"type": "approve"}}), cfg)
    assert paid == [("ann", 1)]
