"""A guard whose `tools` is an empty list judges no call, and `Agent.compile()` accepts it.

`Agent.compile()` refuses a guard naming a tool the agent lacks ("it would judge no call of them", docs/kernel.md
"What you get"), and a guard's `tools` given one text ("pay", read as its letters); but `tools=[]` (a list
built by a filter that matched nothing) passes compile, and the guard then denies nothing: a budget guard
`@guard(tools=[])` that would deny every payment lets `pay` run. An empty scope is the same silent
misconfiguration as an unknown name, and must be refused when the agent is compiled.

Fixed: `lint_scope` raises `PolicyError` for an empty scope, in `Agent.compile()` and `guard_graph` alike.
"""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, Deny, PolicyError, guard
from vfa.testing import ScriptedModel


def _agent(tools):
    paid: list = []

    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "paid"

    never = guard(lambda p, c: Deny(reason="no payments today"), name="no_payments", tools=tools)
    model = ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"])
    return Agent(model, [pay], [never]), paid


def test_a_guard_scoped_to_its_tool_denies():
    agent, paid = _agent(["pay"])
    agent.compile(checkpointer=InMemorySaver()).invoke(
        {"messages": [("user", "pay bob 5")]}, {"configurable": {"thread_id": "t"}})
    assert paid == []


@pytest.mark.parametrize("tools", [[], (), frozenset()])
def test_a_guard_scoped_to_no_tool_is_refused_at_compile(tools):
    agent, paid = _agent(tools)
    with pytest.raises(PolicyError, match="no_payments"):
        agent.compile(checkpointer=InMemorySaver()).invoke(
            {"messages": [("user", "pay bob 5")]}, {"configurable": {"thread_id": "t"}})
    assert paid == []
