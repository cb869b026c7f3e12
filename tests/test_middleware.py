"""GuardMiddleware: create_agent apps guarded with one middleware, beside others in any order."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware, wrap_tool_call
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState
from langgraph.types import Command

from graphs import GuardMiddleware
from vfa import ALLOW, Deny, Escalate, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def limit(p, c):
    if p.args.get("amount", 0) > 100:
        return Deny(reason=f"amount {p.args['amount']} is over the limit 100", evidence={"amount": p.args["amount"]})
    return ALLOW


def payments():
    sent: list[tuple[str, int]] = []

    @tool
    def pay(to: str, amount: int, state: Annotated[dict, InjectedState]) -> str:
        """Pay `amount` to `to`."""
        assert state["messages"], "the agent state is injected"
        sent.append((to, amount))
        return f"paid {amount} to {to}"

    return pay, sent


def tool_results(out) -> dict[str, ToolMessage]:
    return {m.tool_call_id: m for m in out["messages"] if isinstance(m, ToolMessage)}


TWO_CALLS = [[("pay", {"to": "bob", "amount": 5}), ("pay", {"to": "eve", "amount": 500})], "ok"]


def test_a_denied_call_gets_its_own_message_and_the_allowed_one_commits_once():
    pay, sent = payments()
    mw = GuardMiddleware([limit])
    agent = create_agent(ScriptedModel(TWO_CALLS), [pay], middleware=[mw], checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "go")]}, CFG)
    results = tool_results(out)
    assert sent == [("bob", 5)]
    assert results["call_0_0"].content == "paid 5 to bob"
    assert results["call_0_1"].status == "error" and "denied by guard 'limit'" in results["call_0_1"].content
    kinds = [(e.call_id, e.kind) for e in mw.journal.entries("t")]
    assert ("call_0_0", "committed") in kinds and ("call_0_1", "denied") in kinds
    assert ("call_0_1", "started") not in kinds
    assert out["messages"][-1].content == "ok"


def test_async_invoke_and_stream():
    pay, sent = payments()
    agent = create_agent(ScriptedModel(TWO_CALLS), [pay], middleware=[GuardMiddleware([limit])],
                         checkpointer=InMemorySaver())

    async def run() -> tuple[Any, list[Any]]:
        out = await agent.ainvoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "a"}})
        chunks = [c async for c in agent.astream({"messages": [("user", "go")]}, {"configurable": {"thread_id": "b"}},
                                                 stream_mode="updates")]
        return out, chunks

    out, chunks = asyncio.run(run())
    assert sent == [("bob", 5), ("bob", 5)]
    assert tool_results(out)["call_0_1"].status == "error"
    assert any("tools" in c for c in chunks)


@pytest.mark.parametrize("order", ["vfa_last", "vfa_first"])
def test_a_reviewers_edit_is_verified_whatever_the_middleware_order(order):
    pay, sent = payments()
    hitl = HumanInTheLoopMiddleware(interrupt_on={"pay": True})
    vfa = GuardMiddleware([limit])
    middleware = [hitl, vfa] if order == "vfa_last" else [vfa, hitl]
    agent = create_agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"]), [pay], middleware=middleware,
                         checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "go")]}, CFG)
    assert out["__interrupt__"][0].value["action_requests"][0]["name"] == "pay"
    edit = {"type": "edit", "edited_action": {"name": "pay", "args": {"to": "eve", "amount": 900}}}
    out = agent.invoke(Command(resume={"decisions": [edit]}), CFG)
    assert sent == []  # the edited call is what would run, and it is what the guards judged
    assert "denied by guard 'limit'" in tool_results(out)["call_0_0"].content


@pytest.mark.parametrize("order", ["vfa_last", "vfa_first"])
def test_a_retry_middleware_cannot_run_an_effect_twice(order):
    calls: list[int] = []

    @tool
    def flaky(n: int) -> str:
        """Fails."""
        calls.append(n)
        raise RuntimeError("the bank is down")

    @wrap_tool_call
    def retry(request, handler):  # a naive retry that runs the handler three times
        result = None
        for _ in range(3):
            result = handler(request)
        return result

    vfa = GuardMiddleware([])
    middleware = [retry, vfa] if order == "vfa_last" else [vfa, retry]
    agent = create_agent(ScriptedModel([("flaky", {"n": 1}), "ok"]), [flaky], middleware=middleware,
                         checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "go")]}, CFG)
    assert calls == [1]  # the journal answers the retries: one call id, one commit
    assert tool_results(out)["call_0_0"].status == "error" and "the bank is down" in tool_results(out)["call_0_0"].content


def test_escalation_uses_interrupt_and_accepts_the_hitl_decision_shape():
    pay, sent = payments()

    @guard
    def ask(p, c):
        return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?") if p.args["amount"] > 50 else ALLOW

    agent = create_agent(ScriptedModel([("pay", {"to": "eve", "amount": 80}), ("pay", {"to": "cy", "amount": 70}), "ok"]),
                         [pay], middleware=[GuardMiddleware([ask])], checkpointer=InMemorySaver())
    out = agent.invoke({"messages": [("user", "go")]}, CFG)
    value = out["__interrupt__"][0].value
    assert value["options"] == ["approve", "edit", "reject"] and value["question"] == "pay 80 to eve?"
    out = agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), CFG)
    assert sent == [("eve", 80)]
    out = agent.invoke(Command(resume={"decisions": [{"type": "reject", "message": "not cy"}]}), CFG)
    assert sent == [("eve", 80)]
    assert "rejected" in tool_results(out)["call_1_0"].content and out["messages"][-1].content == "ok"
