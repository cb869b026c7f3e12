"""The LangGraph tutorial's ReAct graph the retrofit tests hand to `guard_graph` (agent -> tools -> agent),
and a tool of theirs that asks a person itself."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import tools_condition
from langgraph.types import interrupt


def model_node(model: Any, key: str = "messages") -> Any:
    """An agent node that appends the model's reply to the state's messages (under `key`)."""
    return lambda state: {key: [model.invoke(state[key])]}


def tool_loop(agent: Any, tools: Any, state: Any = MessagesState, *, research: Any = None,
              key: str = "messages") -> StateGraph:
    """A graph builder: START -> `agent` (after `research`, a node of the app's own, when given), then
    `tools` (a ToolNode or a node) while the reply calls a tool (its messages under `key`), back to `agent`."""
    b = StateGraph(state)
    b.add_node("agent", agent)
    b.add_node("tools", tools)
    if research is None:
        b.add_edge(START, "agent")
    else:
        b.add_node("research", research)
        b.add_edge(START, "research")
        b.add_edge("research", "agent")
    b.add_conditional_edges("agent", tools_condition if key == "messages"
                            else lambda s: tools_condition(s, messages_key=key))
    b.add_edge("tools", "agent")
    return b


def ask_human_tool(runs: list[str]) -> Any:
    """A tool `ask_human(question)` that calls `interrupt` itself: each run appends "started" to `runs`, and
    the person's answer once given; the answer is its result."""

    @tool
    def ask_human(question: str) -> str:
        """Ask a person."""
        runs.append("started")
        answer = interrupt({"question": question})
        runs.append(answer)
        return answer

    return ask_human
