"""A LangChain tool made of an `@effect` under another name is refused at set-up, naming both names.

What must hold: the README's way to give a ToolNode an async effect is `StructuredTool.from_function(
coroutine=pay)`; naming that tool (`name="send_money"`, as one does for the model) made every call of it fail
at run time, the effect never run: an effect runs only inside the commit of a tool of its own name, so each
call was journaled `failed` with "effect 'pay' was called directly (inside the commit of 'send_money')", a
message that names no mistake of the developer's. A tool whose effect can never run is refused where it is
given (`ConfigError` naming the tool, the effect and the fix), in a vfa `Agent` and in a guarded ToolNode
alike; a tool of the effect's own name still runs it, once.
"""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import AIMessage
from langchain_core.tools import StructuredTool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel

paid: list[str] = []


@effect
async def pay(to: str) -> str:
    """Pay someone."""
    paid.append(to)
    return f"paid {to}"


def _app(tool: StructuredTool):
    b = StateGraph(MessagesState)
    b.add_node("tools", ToolNode([tool]))
    b.add_edge(START, "tools")
    b.add_edge("tools", END)
    return b


def test_agent_refuses_a_tool_renaming_its_effect() -> None:
    renamed = StructuredTool.from_function(coroutine=pay, name="send_money", description="Pay someone.")
    with pytest.raises(ConfigError, match=r"'send_money'.*'pay'"):
        Agent(ScriptedModel([("send_money", {"to": "bob"})]), [renamed])


def test_guard_graph_refuses_a_tool_renaming_its_effect() -> None:
    renamed = StructuredTool.from_function(coroutine=pay, name="send_money", description="Pay someone.")
    with pytest.raises(ConfigError, match=r"'send_money'.*'pay'"):
        graphs.guard_graph(_app(renamed), [])


def test_a_tool_of_the_effects_own_name_runs_it_once() -> None:
    paid.clear()
    tool = StructuredTool.from_function(coroutine=pay)
    app = graphs.guard_graph(_app(tool), [])
    call = AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "bob"}, "id": "c1", "type": "tool_call"}])
    out = asyncio.run(app.ainvoke({"messages": [call]}))
    assert out["messages"][-1].content == "paid bob" and paid == ["bob"]
