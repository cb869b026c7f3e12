"""The LangGraph tutorial's ReAct graph the retrofit tests hand to `guard_graph`: agent -> tools -> agent."""

from __future__ import annotations

from typing import Any

from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import tools_condition


def model_node(model: Any) -> Any:
    """An agent node that appends the model's reply to the state's messages."""
    return lambda state: {"messages": [model.invoke(state["messages"])]}


def tool_loop(agent: Any, tools: Any, state: Any = MessagesState) -> StateGraph:
    """A graph builder: START -> `agent`, then `tools` (a ToolNode or a node) while the reply calls a tool,
    back to `agent`."""
    b = StateGraph(state)
    b.add_node("agent", agent)
    b.add_node("tools", tools)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return b
