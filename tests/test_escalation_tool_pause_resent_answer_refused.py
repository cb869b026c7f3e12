"""A re-sent answer to a tool's own first question does not answer the tool's next question.

A tool that calls `interrupt()` itself twice (confirm the amount, then the payee) pauses its task twice.
LangGraph hands an answer sent to a task's first question on to the question pending after it, so a
client retrying its first resume (`Command(resume={first.id: "yes"})`) would confirm the payee nobody
confirmed, and the payment runs. docs/kernel.md ("People in the loop") says vfa refuses such a resume with
`AnswerError` and saves nothing (the pending question waits); it did so only when a guard's question or a
finished call's pause was replayed first, not when the tool, run again, asked both questions itself.

Fixed: Questions.tool_start refuses, before a tool that paused itself runs again, an answer LangGraph hands on
from the task's first question (_refuse_handed_on, shared with _interrupt).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

from graphs import GuardMiddleware
from vfa import Agent, AnswerError, effect
from vfa.testing import ScriptedModel

CALL = {"name": "pay", "id": "p1", "args": {"to": "mallory", "amount": 500}}


def _pay(paid: list[Any]) -> Any:
    def pay(to: str, amount: int) -> str:
        """Pay, once the person confirmed the amount and then the payee."""
        amount_ok = interrupt({"confirm": f"amount {amount}?"})
        payee_ok = interrupt({"confirm": f"payee {to}?"})
        if amount_ok == "yes" and payee_ok == "yes":
            paid.append((to, amount))
            return "paid"
        return "not paid"
    return pay


def _model() -> ScriptedModel:
    return ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=[CALL]) if not any(m.type == "tool" for m in ms)
                         else "done")


def _agent(paid: list[Any]) -> Any:
    return Agent(_model(), [effect(_pay(paid))]).compile(checkpointer=InMemorySaver())


def _middleware_app(paid: list[Any]) -> Any:
    return create_agent(_model(), [tool(_pay(paid))], middleware=[GuardMiddleware()], checkpointer=InMemorySaver())


@pytest.mark.parametrize("build", [_agent, _middleware_app], ids=["agent", "middleware"])
def test_a_re_sent_answer_to_the_tools_first_question_is_refused(build: Any) -> None:
    paid: list[Any] = []
    app = build(paid)
    cfg = {"configurable": {"thread_id": "t"}}
    first = app.invoke({"messages": [("user", "pay")]}, cfg)["__interrupt__"][0]
    assert first.value == {"confirm": "amount 500?"}
    second = app.invoke(Command(resume={first.id: "yes"}), cfg)["__interrupt__"][0]
    assert second.value == {"confirm": "payee mallory?"}
    with pytest.raises(AnswerError, match=f"pending is interrupt {second.id}"):
        app.invoke(Command(resume={first.id: "yes"}), cfg)  # a retry of the first resume
    assert paid == []
    pending = app.get_state(cfg).interrupts  # nothing was saved: the payee question still waits
    assert [i.id for i in pending] == [second.id]
    app.invoke(Command(resume={second.id: "yes"}), cfg)  # answered by its own id
    assert paid == [("mallory", 500)]
