"""A guard that asks a person with LangGraph's own `interrupt()` never gets another call's answer.

Fault. The guard chain lets a guard's `interrupt()` pass (`GraphBubbleUp` is re-raised), so a guard can
pause the thread and read the person's answer itself. LangGraph hands a resumed task its answers by
place: the n-th `interrupt()` of the task gets the n-th answer. A guard node runs a turn's calls in order
and answers a finished call from the journal, without running its guards again; the journal keeps the
questions of `Escalate` and the pauses of a tool's own `interrupt()`, so a replayed call re-takes their
places (`Questions.replay`, `skip_tool_pauses`), but nothing of a guard's own `interrupt()`. So when the
second call of a turn asks, the first call (approved, committed) is replayed without taking its place, and
the second call's guard is handed the answer given to the first call: the person answers "no" to paying
mallory 999, and mallory is paid, on the approval given to paying alice 1.

Why not a documented limit: docs/existing-apps.md (on a guarded ToolNode) names "a guard, or a tool calling
`interrupt()` itself" among those who ask, and promises a person's answer reaches the call it was asked
about and "an approval could [not] let another call through"; the chain passes a guard's interrupt on
purpose. Nothing says a guard must not call `interrupt()`.

What must hold: an answer given to one call's question never decides another call; here, after "yes" to
alice and "no" to mallory, mallory is never paid (her call is denied, or fails closed).

Fixed: a guard that calls interrupt() itself denies its call (the chain turns its GraphInterrupt into a denial
naming Escalate), so its question is never put and takes no answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode
from langgraph.types import Command, interrupt

import graphs
from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel

CALLS = [{"name": "pay", "id": "a", "args": {"to": "alice", "amount": 1}},
         {"name": "pay", "id": "b", "args": {"to": "mallory", "amount": 999}}]


@guard
def ask_in_person(p, c):
    """A guard that asks a person itself and reads their answer."""
    said = interrupt(f"pay {p.args['amount']} to {p.args['to']}?")
    return ALLOW if said == "yes" else Deny(reason=f"the person said {said!r}")


def _model() -> ScriptedModel:
    return ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=CALLS) if not any(m.type == "tool" for m in ms)
                         else "done")


def _agent(paid: list[tuple[str, int]]) -> Any:
    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "paid"

    return Agent(_model(), [pay], [ask_in_person]).compile(checkpointer=InMemorySaver())


def _tool_node(paid: list[tuple[str, int]]) -> Any:
    @tool
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "paid"

    return graphs.guard_graph(tool_loop(model_node(_model()), ToolNode([pay])), [ask_in_person],
                              checkpointer=InMemorySaver())


@pytest.mark.parametrize("build", [_agent, _tool_node], ids=["Agent", "guard_graph"])
def test_a_guard_s_own_question_takes_no_answer_given_about_another_call(build: Any) -> None:
    paid: list[tuple[str, int]] = []
    app = build(paid)
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "pay alice 1")]}, cfg)
    for _ in range(3):  # were the guard's question put, "yes" to the first and "no" to the rest
        if not out.get("__interrupt__"):
            break
        (asked,) = out["__interrupt__"]
        out = app.invoke(Command(resume={asked.id: "yes" if "alice" in str(asked.value) else "no"}), cfg)
    assert ("mallory", 999) not in paid, f"the person said no to paying mallory; paid: {paid}"
    # the guard's own interrupt() denies its call, naming the way a guard asks
    told = [m.content for m in out["messages"] if m.type == "tool"]
    assert paid == [] and len(told) == 2 and all("returning Escalate" in t for t in told), told
