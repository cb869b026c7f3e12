"""Middleware beside a GuardMiddleware and the app's code LangChain wraps (red team 53): a `@wrap_tool_call`
middleware made from the app's bound method, callable object or partial is the app's own (it may run a
tool before the gate sees the call); a ToolNode gated on its async side only runs tools ungated when
called synchronously; the app's `@after_model` and `@wrap_model_call` functions are read like a node's; a
callback LangChain's own middleware calls (`ToolRetryMiddleware(retry_on=...)`) runs no tool call."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain.agents import create_agent
from langchain.agents.middleware import (
    ToolRetryMiddleware,
    after_model,
    wrap_model_call,
    wrap_tool_call,
)
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import ToolNode
from test_coverage_agents_in_tools import PAID, budget, pay

import graphs
from graphs import GuardMiddleware
from vfa import CoverageError, effect
from vfa.testing import ScriptedModel


def _script():
    return ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])


def _check_or_run(agent):
    with pytest.raises(CoverageError):  # else it would pay past the budget guard
        graphs.check_coverage(agent)


class FastPath:
    """An app's object whose method short-circuits tool calls (a cache, a fast path)."""

    def wrap(self, request: Any, handler: Any) -> Any:
        if request.tool_call["name"] == "pay":
            out = request.tool.invoke(request.tool_call["args"])
            return ToolMessage(str(out), tool_call_id=request.tool_call["id"], name="pay")
        return handler(request)

    def __call__(self, request: Any, handler: Any) -> Any:
        return self.wrap(request, handler)


def test_wrap_tool_call_from_a_bound_method_beside_gate() -> None:
    mw = wrap_tool_call(FastPath().wrap)
    _check_or_run(create_agent(_script(), [pay], middleware=[mw, GuardMiddleware([budget])]))


def test_wrap_tool_call_from_a_callable_object_beside_gate() -> None:
    mw = wrap_tool_call(FastPath(), name="fast_path")
    _check_or_run(create_agent(_script(), [pay], middleware=[mw, GuardMiddleware([budget])]))


def test_wrap_tool_call_from_a_partial_of_a_method_beside_gate() -> None:
    mw = wrap_tool_call(functools.partial(FastPath().wrap), name="fast_path")
    _check_or_run(create_agent(_script(), [pay], middleware=[mw, GuardMiddleware([budget])]))


def test_toolnode_gated_on_the_async_side_only_runs_sync_unguarded() -> None:
    gm = GuardMiddleware([budget])
    model = _script()
    b = tool_loop(model_node(model), ToolNode([pay], awrap_tool_call=gm.awrap_tool_call))
    _check_or_run(b.compile())


def transient(error: Exception) -> bool:
    return isinstance(error, TimeoutError)


def test_tool_retry_with_an_app_retry_on_passes_coverage() -> None:
    agent = create_agent(ScriptedModel(script=["done"]), [pay],
                         middleware=[GuardMiddleware([budget]), ToolRetryMiddleware(retry_on=transient)])
    graphs.check_coverage(agent)


def test_tool_retry_with_an_app_on_failure_passes_coverage() -> None:
    agent = create_agent(ScriptedModel(script=["done"]), [pay],
                         middleware=[GuardMiddleware([budget]),
                                     ToolRetryMiddleware(on_failure=lambda e: f"failed: {type(e).__name__}")])
    graphs.check_coverage(agent)


@effect
def transfer(to: str, amount: int) -> str:
    """Move money (a vfa effect: only a guard node may run it)."""
    PAID.append((to, amount))
    return "moved"


@after_model
def eager(state: Any, runtime: Any) -> Any:
    """Runs the model's proposed payments itself (a 'fast path'), before the tools node's gate."""
    for c in getattr(state["messages"][-1], "tool_calls", []):
        if c["name"] == "pay":
            transfer(**c["args"])
    return None


@wrap_model_call
def eager_model(request: Any, handler: Any) -> Any:
    resp = handler(request)
    for m in resp.result:
        for c in getattr(m, "tool_calls", []) or []:
            if c["name"] == "pay":
                transfer(**c["args"])
    return resp


@pytest.mark.parametrize("hook", [eager, eager_model], ids=["after_model", "wrap_model_call"])
def test_a_model_hook_running_an_effect_is_named(hook: Any) -> None:
    _check_or_run(create_agent(_script(), [pay], middleware=[hook, GuardMiddleware([budget])]))


@tool
def search(q: str) -> str:
    """Search the web."""
    return "results"


@wrap_model_call
def pick_tools(request: Any, handler: Any) -> Any:
    """Dynamic tool selection, LangChain's documented pattern: tools handed to the model, never run."""
    return handler(request.override(tools=[t for t in [pay, search] if t.name != "search"]))


def test_a_model_hook_that_hands_tools_to_the_model_passes() -> None:
    graphs.check_coverage(create_agent(_script(), [pay, search], middleware=[pick_tools, GuardMiddleware([budget])]))


@wrap_model_call
def pick_effect_tools(request: Any, handler: Any) -> Any:
    """The same with a tool that runs a vfa effect (`graphs.as_effect`): handed to the model, never run."""
    return handler(request.override(tools=[t for t in [PAY_EFFECT, search] if t.name != "search"]))


PAY_EFFECT = graphs.as_effect(pay)


def test_a_model_hook_that_hands_an_effects_tool_to_the_model_passes() -> None:
    graphs.check_coverage(create_agent(_script(), [PAY_EFFECT, search],
                                       middleware=[pick_effect_tools, GuardMiddleware([budget])]))


def test_a_dynamic_model_binding_tools_passes() -> None:
    """`create_react_agent`'s dynamic model: `model.bind_tools(tools)` in a function LangGraph calls."""
    from langgraph.prebuilt import create_react_agent

    def select_model(state: Any, runtime: Any) -> Any:
        return ScriptedModel(script=["done"]).bind_tools([pay, search])

    graphs.guard_graph(create_react_agent(select_model, [pay, search]), [budget])


def test_control_plain_node_calling_the_tool_is_named() -> None:
    """Control: the same code as a node of one's own is named by coverage."""
    model = _script()

    def agent(s):
        msg = model.invoke(s["messages"])
        for c in msg.tool_calls:
            pay.invoke(c["args"])
        return {"messages": [msg]}

    b = tool_loop(agent, ToolNode([pay]))
    with pytest.raises(CoverageError):
        graphs.guard_graph(b, [budget])
