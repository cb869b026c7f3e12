"""The runs of an app guarded with `guard_graph` or `GuardMiddleware` are traced as one tree each.

README (Tracing): spans `invoke_agent {name}` -> `execute_tool {tool}` -> `run_guardrail {guard}`, with
`gen_ai.conversation.id` the thread. A vfa `Agent`'s runs had that root; a retrofitted app's did not: each
call's `execute_tool` span began a trace of its own, so one run's decisions could not be grouped, nor found
by the conversation.

What must hold: each run of an app `guard_graph` guarded is one `invoke_agent {app name}` span carrying the thread
id, every `execute_tool` span of the run under it (same trace); and every call's `execute_tool` span carries the
thread as `gen_ai.conversation.id`, which groups the calls of an app built by `create_agent` (its graph is
LangGraph's own, with no run vfa wraps: a stated limit, no `invoke_agent` span).

Fixed: `guard_graph`'s app class runs each `stream`/`astream` in `vfa._compile.traced_run`, as a vfa `Agent`
does; a call's span carries its run's thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

import graphs
from vfa import ALLOW, Deny, guard
from vfa.testing import ScriptedModel, capture_spans


@guard
def small(p: Any, c: Any) -> Any:
    return Deny("too much") if p.args.get("amount", 0) > 100 else ALLOW


@tool
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    return f"paid {amount} to {to}"


def _model() -> ScriptedModel:
    return ScriptedModel([("pay", {"to": "bob", "amount": 5}), ("pay", {"to": "eve", "amount": 500}), "done"])


def _tool_loop() -> Any:
    model = _model()
    b = StateGraph(MessagesState)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([pay]))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return graphs.guard_graph(b.compile(checkpointer=InMemorySaver(), name="payments"), [small])


def _middleware() -> Any:
    return create_agent(_model(), [pay], middleware=[graphs.GuardMiddleware([small])],
                        checkpointer=InMemorySaver(), name="payments")


def _tree(spans: Any, rooted: bool) -> None:
    calls = [s for s in spans if s.name.startswith("execute_tool")]
    assert len(calls) == 2, [s.name for s in spans]
    assert all(s.attributes["gen_ai.conversation.id"] == "t1" for s in calls)
    roots = [s for s in spans if s.name.startswith("invoke_agent")]
    if not rooted:
        assert roots == []
        return
    assert [s.name for s in roots] == ["invoke_agent payments"], [s.name for s in spans]
    root = roots[0]
    assert root.attributes["gen_ai.conversation.id"] == "t1"
    for s in calls:
        assert s.context.trace_id == root.context.trace_id
        assert s.parent is not None and s.parent.span_id == root.context.span_id, s.name


@pytest.mark.parametrize("make", [_tool_loop, _middleware], ids=["guard_graph", "GuardMiddleware"])
def test_a_guarded_apps_run_is_one_tree_under_invoke_agent(make) -> None:
    app = make()
    with capture_spans() as exporter:
        app.invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t1"}})
    _tree(exporter.get_finished_spans(), rooted=make is _tool_loop)


@pytest.mark.parametrize("make", [_tool_loop, _middleware], ids=["guard_graph", "GuardMiddleware"])
def test_an_async_run_is_one_tree_too(make) -> None:
    app = make()
    with capture_spans() as exporter:
        asyncio.run(app.ainvoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t1"}}))
    _tree(exporter.get_finished_spans(), rooted=make is _tool_loop)

