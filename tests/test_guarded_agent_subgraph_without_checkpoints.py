"""A guarded agent compiled with `checkpointer=False` and run as a subgraph is refused, or keeps a person's approval.

`guard_graph` now refuses a subgraph compiled with `checkpointer=False` that holds gated tools or effect
nodes (7da6621): resumed, it runs again from its start under new task ids, so a person's answer is taken for
"an answer sent before this question was asked" and the approved call is rejected. The same subgraph built
the README's other two ways is neither refused nor kept working: a vfa `Agent(...).compile(checkpointer=False)`
or a `create_agent(..., middleware=[GuardMiddleware(...)], checkpointer=False)` added as a node of an app
compiled by LangGraph with a checkpointer. The guard asks, the person approves with the README's answer
(`Command(resume={"type": "approve"})`), and the call comes back "rejected by a person: an answer was sent
before this question was asked"; nothing says why. Plain LangGraph hands that answer to the subgraph's
`interrupt()` (a `HumanInTheLoopMiddleware` there would take it).

What must hold (docs/kernel.md "People in the loop"; the brief: what vfa cannot support is refused, never silently
broken): the approved call commits once, or the graph is refused with a `ConfigError` (at compile or on its
first run, before anything is asked) saying to compile it with a checkpointer.

Fixed: `Agent.compile(checkpointer=False)` raises `ConfigError` naming the checkpointer. A stated limit (docs/kernel.md
"People in the loop"): `create_agent(..., middleware=[GuardMiddleware(...)], checkpointer=False)` has no
compile step vfa sees, and the middleware cannot tell at run time that its graph keeps no checkpoint.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command

import graphs
from vfa import ALLOW, Agent, ConfigError, Escalate, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def ask_over_100(p: Any, c: Any) -> Any:
    return Escalate(question="pay over 100?") if p.args.get("amount", 0) > 100 else ALLOW


def _run(make_inner) -> list[int]:
    paid: list[int] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append(amount)
        return f"paid {amount} to {to}"

    call = AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "bob", "amount": 500}, "id": "c1"}])
    model = ScriptedModel(rule=lambda msgs: call if msgs[-1].type == "human" else "done")
    try:
        inner = make_inner(model, pay)
        b = StateGraph(MessagesState)
        b.add_node("team", inner)
        b.add_edge(START, "team")
        b.add_edge("team", END)
        app = b.compile(checkpointer=InMemorySaver())
        out = app.invoke({"messages": [HumanMessage("pay bob", id="h1")]}, CFG)
    except ConfigError as exc:
        assert "checkpointer" in str(exc)
        return [500]  # refused before anything was asked
    assert out.get("__interrupt__"), out
    out = app.invoke(Command(resume={"type": "approve"}), CFG)
    assert paid == [500], f"the person approved, and the call was {out['messages'][-2].content!r}"
    return paid


MAKERS = {
    "Agent.compile": lambda model, pay: Agent(model, [pay], [ask_over_100]).compile(checkpointer=False),
    "create_agent+GuardMiddleware": lambda model, pay: create_agent(
        model, [pay], middleware=[graphs.GuardMiddleware([ask_over_100])], checkpointer=False),
}


LIMIT = pytest.mark.xfail(strict=True, reason="stated limit: create_agent(checkpointer=False) with GuardMiddleware "
                          "as a subgraph is not refused, and an approval there becomes a rejection")


@pytest.mark.parametrize("maker", [pytest.param(m, marks=LIMIT) if "Middleware" in m else m for m in MAKERS])
def test_an_approval_in_a_guarded_subgraph_without_checkpoints_is_kept_or_refused(maker):
    assert _run(MAKERS[maker]) == [500]


def test_agent_compile_with_checkpointer_false_is_refused_naming_it():
    model = ScriptedModel(rule=lambda msgs: "done")
    with pytest.raises(ConfigError, match=r"checkpointer=False.*checkpointer=None"):
        Agent(model, [], [ask_over_100]).compile(checkpointer=False)


def test_agent_builder_compile_with_checkpointer_false_is_refused_too():
    model = ScriptedModel(rule=lambda msgs: "done")
    with pytest.raises(ConfigError, match=r"checkpointer=False"):
        Agent(model, [], [ask_over_100]).builder().compile(checkpointer=False)
