"""An effect whose graph hands off to the agent's (`Command.PARENT` raised through the tool) is never
ended in the journal, and runs again when its node is replayed.

Multi-agent shape: a tool runs another agent (a graph) that ends with LangGraph's handoff,
`Command(graph=Command.PARENT, goto=..., update=...)`. LangGraph raises it as `ParentCommand` out of the inner graph,
through the tool and the guard node, and applies it to the graph running the tool. Under a privacy flow the guard
node takes it for the tool's output; without a flow it was raised on, so the call's effect, which
had done its work, was journaled `paused` ("a tool that only paused to ask: its effect has not begun") and never
ended. A replay of the node (LangGraph's time travel, `invoke(None, checkpoint_config)`, or a crash before the
node's writes were saved) then found the call "paused" and ran the effect again (journaled `restarted`), where
any other committed effect is answered from the journal.

What must hold (docs/kernel.md, "Exactly-once effects": "When LangGraph replays a node after an interrupt or a crash, a
committed effect returns its recorded result (a retrofitted tool's `Command` is recorded whole, so its state
update and `goto` land again)"): the effect runs once, however often its node is replayed, and the journal
records the call's outcome, for vfa's `Agent` and for `guard_graph`, as for a handoff the tool returns.

Fixed: a handoff raised through the tool is the tool's output with or without a flow: committed and recorded
whole (the gate lands it again on a replay without running the tool; vfa's Agent shows its text, its update
dropped, as for a Command a tool returns).
"""

from __future__ import annotations

from typing import Any

from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

import graphs
from vfa import ALLOW, Agent, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def allow_all(p: Any, c: Any) -> Any:
    return ALLOW


def _researcher() -> Any:
    """A research agent whose one node hands what it found to the graph that runs it."""
    def fetch(state: MessagesState) -> Command:
        return Command(graph=Command.PARENT, goto="agent", update={"messages": [AIMessage("research says 42")]})

    b = StateGraph(MessagesState)
    b.add_node("fetch", fetch)
    b.add_edge(START, "fetch")
    return b.compile(checkpointer=False)


def _replayed(app: Any) -> None:
    """Run the thread, then run its tool node again from the checkpoint before it (LangGraph's replay)."""
    app.invoke({"messages": [("user", "research x")]}, CFG)
    before = next(s for s in app.get_state_history(CFG) if s.next == ("tools",))
    app.invoke(None, before.config)


def _outcomes(journal: EffectJournal) -> list[str]:
    return [e.kind for e in journal.entries("t")]


def test_agent_effect_handing_off_runs_once_and_is_ended() -> None:
    booked: list[str] = []
    inner = _researcher()

    @effect
    def research(q: str) -> str:
        """Research a question (books a paid search)."""
        booked.append(q)
        return str(inner.invoke({"messages": [HumanMessage(q)]})["messages"][-1].content)

    journal = EffectJournal(":memory:")
    app = Agent(ScriptedModel([("research", {"q": "x"}), "done"]), [research], journal=journal).compile(
        checkpointer=InMemorySaver())
    _replayed(app)
    assert booked == ["x"], f"the effect ran {len(booked)} times; journal: {_outcomes(journal)}"
    assert "committed" in _outcomes(journal), _outcomes(journal)


def test_retrofit_tool_handing_off_runs_once_and_its_handoff_lands() -> None:
    booked: list[str] = []
    inner = _researcher()

    @tool
    def research(q: str) -> str:
        """Research a question (books a paid search)."""
        booked.append(q)
        return str(inner.invoke({"messages": [HumanMessage(q)]})["messages"][-1].content)

    journal = EffectJournal(":memory:")
    app = graphs.guard_graph(tool_loop(model_node(ScriptedModel([("research", {"q": "x"}), "done"])),
                                       ToolNode([research])), [allow_all], journal=journal, checkpointer=InMemorySaver())
    _replayed(app)
    assert booked == ["x"], f"the tool ran {len(booked)} times; journal: {_outcomes(journal)}"
    assert "committed" in _outcomes(journal), _outcomes(journal)
    # the handoff still lands, as it does unguarded, on the replay too
    assert any(m.content == "research says 42" for m in app.get_state(CFG).values["messages"])
