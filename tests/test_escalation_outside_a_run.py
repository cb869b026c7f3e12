"""A guard that asks a person about a call made outside any graph run denies it, saying why.

A gated tool is meant to be called from plain code too (README: "a gated tool called
outside any run is on its flow's user's thread"). When one of its guards returns `Escalate`, the gate
journaled the question and called LangGraph's `interrupt()`, which outside a run fails with an error that
names neither the tool nor the guard nor the fix: "RuntimeError: Called get_config outside of a runnable
context" (plain code, a worker thread given no config), or "KeyError: '__pregel_scratchpad'" (a LangChain
chain that is no graph). The journal kept a question nobody can ever answer.

What must hold (fail closed, with a clear error): nobody can be asked there, so the call is denied, as a
guard that cannot decide denies: the caller gets the denial naming the tool and the guard that asked,
the tool does not run, and the journal ends the call denied, with no question left pending.

Fixed: the guard node's rounds deny a call whose guard asks when no LangGraph task can pause
(_escalation.can_ask), naming the guard and the fix (never quoting its question), and journal it denied with
no question pending.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableLambda
from langchain_core.tools import tool

from graphs import ToolGate
from vfa import Escalate, guard


def _gated(paid: list[Any]) -> tuple[ToolGate, Any]:
    @tool
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "paid"

    @guard
    def confirm(p: Any, c: Any) -> Any:
        return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?")

    gate = ToolGate([confirm])
    return gate, gate.gated(pay)


CALLS = {
    "plain": lambda g: g.invoke({"to": "bob", "amount": 5}),
    "tool call": lambda g: g.invoke({"name": "pay", "id": "c1", "type": "tool_call", "args": {"to": "bob", "amount": 5}}),
    "thread id, no graph": lambda g: g.invoke({"to": "bob", "amount": 5}, {"configurable": {"thread_id": "u"}}),
    "a chain, no graph": lambda g: RunnableLambda(lambda _: g.invoke({"to": "bob", "amount": 5})).invoke(0),
    "async": lambda g: asyncio.run(g.ainvoke({"to": "bob", "amount": 5})),
}


@pytest.mark.parametrize("how", list(CALLS))
def test_a_question_nobody_can_answer_denies_the_call_and_says_why(how: str) -> None:
    paid: list[Any] = []
    gate, pay = _gated(paid)
    out = CALLS[how](pay)  # before: RuntimeError / KeyError from LangGraph, naming neither tool nor guard
    assert isinstance(out, ToolMessage) and out.status == "error"
    assert out.artifact["vfa"]["outcome"] == "denied"
    assert "'confirm'" in out.content and "pay" in out.content and "outside a graph run" in out.content
    assert paid == []
    kinds = [e.kind for e in gate.journal.entries(call_id=out.tool_call_id)]
    assert "escalated" not in kinds and kinds[-1] == "denied", kinds  # no question left that nobody can answer
