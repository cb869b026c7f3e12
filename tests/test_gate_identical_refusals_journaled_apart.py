"""Two calls of one turn alike in tool and arguments share one `_minted` key in a guarded `ToolNode`, so the second
is answered as the first's replay: neither journaled nor traced as the decision it is.

`_minted` (vfa/_guard_node.py) keys the node's own refusal by the task and the call (`vfa-invalid-` for a call
without a usable id: tool, id, arguments; `<id>#duplicate-turn-` for the gate's duplicate ids: tool and
arguments), so that the task run again answers it from the journal. A retrofitted `ToolNode` runs a whole turn
in one task: two calls of the turn with no id, or with one id, and the same tool and arguments get the same key.
The first is journaled and traced; `_refuse` then finds the second's key on record and answers it as a replay:
one `denied` record for two refused calls, one decision span, and the second call's span marked
`vfa.replayed` in the very run that decided it (docs/kernel.md, Tracing: `vfa.replayed` is "a call its node, run again,
answers from the journal"). Before `_minted`, each was journaled and traced under a key of its own.

What must hold: on the turn's first run, each refused call is one `denied` record under a key of its own and one
`execute_tool` span in error, none `vfa.replayed`.

Fixed: _minted counts identical keys within one run of a task (its scratchpad and attempt), so the second copy
gets a key of its own, the same when the task runs again.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ALLOW, EffectJournal, guard
from vfa.testing import capture_spans


@tool
def lookup(who: str) -> str:
    """Say whether a payee is known."""
    return f"{who} is a known payee"


@guard
def allow(p, c):
    return ALLOW


@pytest.mark.parametrize("call_id", [None, "B"], ids=["no-id", "one-id"])
def test_two_like_calls_of_one_turn_are_each_refused_and_traced(call_id) -> None:
    turn = AIMessage("", tool_calls=[{"name": "lookup", "args": {"who": "bob"}, "id": call_id, "type": "tool_call"}] * 2)
    b = StateGraph(MessagesState)
    b.add_node("agent", lambda s: {"messages": [turn if len(s["messages"]) == 1 else AIMessage("done")]})
    b.add_node("tools", ToolNode([lookup]))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", lambda s: "tools" if s["messages"][-1].tool_calls else END, ["tools", END])
    b.add_edge("tools", "agent")
    journal = EffectJournal()
    app = graphs.guard_graph(b, [allow], journal=journal, checkpointer=InMemorySaver())
    with capture_spans() as spans:
        app.invoke({"messages": [HumanMessage("is bob known?")]}, {"configurable": {"thread_id": "t"}})
        finished = list(spans.get_finished_spans())
    denied = [e.call_id for e in journal.entries("t") if e.kind == "denied"]
    assert len(set(denied)) == 2, f"two refused calls, journaled under {denied}"
    calls = [s for s in finished if s.name == "execute_tool lookup"]
    assert not any(s.attributes.get("vfa.replayed") for s in calls), "a call decided in this run is marked replayed"
    assert sum(s.status.status_code.name == "ERROR" for s in calls) == 2
    assert sum(s.name == "run_guardrail schema" for s in finished) == 2
