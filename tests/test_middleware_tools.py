"""Whatever tool a `create_agent` agent finally runs goes through the gate: one a middleware supplies
at run time, and none gated by a second gate that would decide alone."""

from __future__ import annotations

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

import graphs
from graphs import GuardMiddleware
from vfa import ALLOW, ConfigError, Deny, guard
from vfa.testing import ScriptedModel

PAY_900 = [{"name": "pay", "id": "x", "args": {"to": "mallory", "amount": 900}}]


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


def _model() -> ScriptedModel:
    return ScriptedModel(rule=lambda ms: AIMessage("", tool_calls=PAY_900) if not any(m.type == "tool" for m in ms) else "done")


def _pay(paid: list[int]):
    @tool
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    return pay


@pytest.mark.parametrize("how", ["override", "replace"])
def test_a_tool_a_later_middleware_supplies_at_run_time_is_verified_and_journaled(how: str):
    import dataclasses

    paid: list[int] = []
    pay = _pay(paid)

    @tool
    def lookup(q: str) -> str:
        """Look up."""
        return "ok"

    class RuntimeTools(AgentMiddleware):  # LangChain's pattern for tools registered at run time
        def wrap_model_call(self, request, handler):
            return handler(request.override(tools=[*request.tools, pay]))

        def wrap_tool_call(self, request, handler):
            if request.tool_call["name"] == "pay":
                return handler(request.override(tool=pay) if how == "override" else dataclasses.replace(request, tool=pay))
            return handler(request)

    vfa = GuardMiddleware([budget])
    agent = create_agent(_model(), [lookup], middleware=[vfa, RuntimeTools()], checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert paid == []
    denied = [m for m in out["messages"] if m.type == "tool"]
    assert denied[0].artifact["vfa"]["outcome"] == "denied" and "over 100" in denied[0].content
    assert [e.kind for e in vfa.journal.entries("t", call_id="x")][-1] == "denied"


def test_guard_graph_over_an_agent_with_its_own_guard_middleware_runs_no_call():
    # two gates would each take the other's gated tool for its own: one chain would decide alone
    paid: list[int] = []

    @guard
    def anything(p, c):
        return ALLOW

    agent = create_agent(_model(), [_pay(paid)], middleware=[GuardMiddleware([anything])], checkpointer=InMemorySaver())
    app = graphs.guard_graph(agent, [budget])
    with pytest.raises(ConfigError, match="already gated by another vfa gate"):
        app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert paid == []


def test_one_gate_shared_by_the_middleware_and_guard_graph_is_one_gate():
    paid: list[int] = []
    mw = GuardMiddleware([budget])
    agent = create_agent(_model(), [_pay(paid)], middleware=[mw], checkpointer=InMemorySaver())
    app = graphs.guard_graph(agent, gate=mw.gate)
    out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert paid == [] and next(m for m in out["messages"] if m.type == "tool").artifact["vfa"]["outcome"] == "denied"
