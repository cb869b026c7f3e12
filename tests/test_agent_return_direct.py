"""A LangChain tool declared `return_direct=True` ends the run with its result, under a vfa `Agent` as under
LangGraph's `create_agent` (and `create_react_agent`): the model is not called again to read it.

Before: the `Agent`'s graph always went from its tool node back to the model, so a tool whose author said
its result is the answer had the model called once more (reading the result, and answering in its place),
though the same tool in `create_agent`, guarded by `GuardMiddleware`, ended the run.

Fixed: Agent.builder routes the tool node's turn to the end when every call of it named a return_direct tool
(_after_tools), as create_agent does; agents without such tools keep the plain edge.
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from vfa import Agent
from vfa.testing import ScriptedModel


@tool(return_direct=True)
def final(x: str) -> str:
    """Return the final answer directly."""
    return f"FINAL {x}"


@tool
def lookup(x: str) -> str:
    """Look something up."""
    return f"found {x}"


def _run(app):
    out = app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
    return out["messages"]


def test_agent_ends_after_a_return_direct_tool_as_create_agent_does():
    script = [("final", {"x": "42"}), "the model spoke again"]
    ours = _run(Agent(ScriptedModel(script), [final]).compile(checkpointer=InMemorySaver()))
    theirs = _run(create_agent(ScriptedModel(script), [final], middleware=[GuardMiddleware([])],
                               checkpointer=InMemorySaver()))
    assert [type(m).__name__ for m in theirs] == ["HumanMessage", "AIMessage", "ToolMessage"]
    assert isinstance(ours[-1], ToolMessage) and ours[-1].content == "FINAL 42"
    assert [m.content for m in ours] == [m.content for m in theirs]


def test_a_turn_with_another_tool_goes_back_to_the_model():
    """As `create_agent`: the run ends only when every call of the turn was to a return-direct tool."""
    script = [[("lookup", {"x": "a"}), ("final", {"x": "42"})], "the model read both"]
    ours = _run(Agent(ScriptedModel(script), [lookup, final]).compile(checkpointer=InMemorySaver()))
    assert isinstance(ours[-1], AIMessage) and ours[-1].content == "the model read both"
