"""The LangGraph tutorial's ReAct graph the retrofit tests hand to `guard_graph`: agent -> tools -> agent."""

from __future__ import annotations

from typing import Any

from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import tools_condition


def model_node(model: Any) -> Any:
    """An agent node that appends the model's reply to the state's messages."""
    return lambda state: {"messages": [model.invoke(state["messages"])]}


def tool_loop(agent: Any, tools: Any, state: Any = MessagesState, *, research: Any = None) -> StateGraph:
    """A graph builder: START -> `agent` (after `research`, a node of the app's own, when given), then
    `tools` (a ToolNode or a node) while the reply calls a tool, back to `agent`."""
    b = StateGraph(state)
    b.add_node("agent", agent)
    b.add_node("tools", tools)
    if research is None:
        b.add_edge(START, "agent")
    else:
        b.add_node("research", research)
        b.add_edge(START, "research")
        b.add_edge("research", "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return b
