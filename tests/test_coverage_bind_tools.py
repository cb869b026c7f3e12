"""Red team 59b, false positives: the standard LangGraph way to give a model its tools is refused.

A node that binds the tools to its model at call time, `model.bind_tools(TOOLS).invoke(...)` (the
langchain-ai react-agent template's `call_model` does `load_chat_model(...).bind_tools(TOOLS)`), or
calls a helper `llm.get_model()` that does, holds the `TOOLS` list. `vfa/_coverage.py:_Walker.held_all`
opens the list (`_contents`) and `graphs/_coverage.py:_Tools.value` reports every tool in it as
"calls the tool 'search' directly ... with no verification", although the node never runs a tool: the
tools run only in the gated `ToolNode`. Since b03c75b the helper in another module (`llm.get_model`) is
followed too (`_app_code`), so an app that passed before is now refused by `guard_graph`. None of the
fixes the message suggests applies (the node is no effect node, and a tool gated by `guard_tool` cannot
be bound to a model in its place)."""

from __future__ import annotations

import asyncio
import inspect
import sys
import types
from typing import Any

import pytest
from _tool_loop import tool_loop
from langchain_core.tools import tool
from langgraph.graph import StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ALLOW, CoverageError, guard
from vfa.testing import ScriptedModel


@tool
def search(q: str) -> str:
    """Search the web."""
    return "result"


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return "sent"


TOOLS = [search, send_email]
_MODEL = ScriptedModel([[("send_email", {"to": "bob@example.com", "body": "hi"})], "done"])
ok = guard(lambda p, c: ALLOW, name="ok")

# -- llm.py of the app: a helper module, as a file would define it --------------------------------------
_llm = types.ModuleType("rt59b_app_llm")
_llm.__file__ = "/srv/app/rt59b_app_llm.py"
exec(compile("def get_model():\n    return _MODEL.bind_tools(TOOLS)\n\n"  # noqa: S102
             "def load_chat_model(name):\n    return _MODEL\n", _llm.__file__, "exec"), _llm.__dict__)
_llm._MODEL, _llm.TOOLS = _MODEL, TOOLS
sys.modules[_llm.__name__] = _llm
from rt59b_app_llm import get_model, load_chat_model


def bind_in_node(state: Any) -> dict[str, Any]:
    return {"messages": [_MODEL.bind_tools(TOOLS).invoke(state["messages"])]}


def helper_in_llm_module(state: Any) -> dict[str, Any]:
    return {"messages": [get_model().invoke(state["messages"])]}


async def template_call_model(state: Any) -> dict[str, Any]:  # langchain-ai/react-agent's graph.py
    model = load_chat_model("anthropic/claude").bind_tools(TOOLS)
    return {"messages": [await model.ainvoke(state["messages"])]}


class Agent:
    def __init__(self) -> None:
        self.model, self.tools, self.name = _MODEL, TOOLS, "assistant"

    def __call__(self, state: Any) -> dict[str, Any]:
        return {"messages": [self.model.bind_tools(self.tools).invoke(state["messages"])]}


def _app(agent: Any) -> StateGraph:
    return tool_loop(agent, ToolNode(TOOLS))


@pytest.mark.parametrize("agent", [bind_in_node, helper_in_llm_module, template_call_model, Agent()],
                         ids=["bind_tools_in_node", "llm_get_model_helper", "react_agent_template", "agent_class"])
def test_binding_the_tool_nodes_tools_to_the_model_is_not_a_tool_call(agent: Any) -> None:
    guarded = graphs.guard_graph(_app(agent), [ok])
    run = {"messages": [("user", "mail bob")]}, {"configurable": {"thread_id": "t"}}
    out = asyncio.run(guarded.ainvoke(*run)) if inspect.iscoroutinefunction(agent) else guarded.invoke(*run)
    assert out["messages"][-1].content == "done"


def test_a_tool_handed_to_bind_tools_and_run_besides_is_named() -> None:
    def binds_and_runs(state: Any) -> dict[str, Any]:
        TOOLS[1].invoke({"to": "eve@example.com", "body": "hi"})
        return {"messages": [_MODEL.bind_tools(TOOLS).invoke(state["messages"])]}

    with pytest.raises(CoverageError, match="holds the tool"):
        graphs.guard_graph(_app(binds_and_runs), [ok])


def test_what_bind_tools_is_handed_after_a_call_is_read() -> None:
    # bind_tools(make_tools()) calls make_tools: its code is the app's, read like any helper's
    def make_tools() -> list[Any]:
        TOOLS[1].invoke({"to": "eve@example.com", "body": "hi"})
        return TOOLS

    def binds_a_call(state: Any) -> dict[str, Any]:
        return {"messages": [_MODEL.bind_tools(make_tools()).invoke(state["messages"])]}

    with pytest.raises(CoverageError, match="holds the tool"):
        graphs.guard_graph(_app(binds_a_call), [ok])
