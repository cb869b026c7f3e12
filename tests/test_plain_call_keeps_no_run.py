"""Erasing a thread leaves a person's answers in the table that keys a gated tool's plain calls by task run.

What must hold (docs/kernel.md "Erasing a thread": `delete_thread` erases a conversation's checkpoints, its journal
entries, "then what the flows reading the journal in this process hold of it"): once a thread's checkpoints
and journal are deleted, no value of it (a person's edit of a call, the question it answered) is reachable
from vfa's process-wide tables.

`_plain_id` (graphs/_gate.py) keeps, per task id, the run's LangGraph scratchpad in `_PLAIN` (the last 4,096
tasks), held strongly only so its identity is never another run's: the very shape b6dfdc9 fixed in `_MINTED`
(vfa/_guard_node.py), left in its twin. A scratchpad holds the task's answers (`resume`: a person's edit, its
arguments in clear) and, in its `get_null_resume` closure, the pending writes the run resumed from (the
question, the call's arguments). A node invoking a gated tool (`guard_tool(...).invoke(args)`, keyed by
`_plain_id`) that a guard asks about, answered with an edit holding an SSN, left the SSN in memory after the
thread was erased, until 4,096 other tasks made a plain call. The ToolNode case (`_MINTED`) is checked too.

Fixed: _PLAIN holds the run weakly, by its scratchpad's own get_null_resume, as _MINTED does.
"""

from __future__ import annotations

import gc
import types
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

import graphs
from graphs import _gate
from vfa import ALLOW, EffectJournal, Escalate, guard
from vfa import _guard_node

SSN = "078-05-1120"


@tool
def send(to: str, body: str) -> str:
    """Send a note."""
    return "sent"


@guard
def ask(p, c):
    return Escalate(question="send it?") if p.tool == "send" and p.args.get("body") == "hi" else ALLOW


def _texts(root: Any) -> list[str]:
    """Every text reachable from `root` (through objects and closures, not modules, classes or globals)."""
    seen: set[int] = set()
    stack, found = [root], []
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.append(obj)
        elif isinstance(obj, types.FunctionType):
            stack += [c.cell_contents for c in obj.__closure__ or () if c.cell_contents is not None]
        elif not isinstance(obj, (type, types.ModuleType)):
            stack += gc.get_referents(obj)
    return found


def _app(how: str) -> tuple[Any, graphs.ToolGate]:
    gate = graphs.ToolGate([ask], journal=EffectJournal())
    b = StateGraph(MessagesState)
    if how == "tool node":
        def agent(s):
            if len(s["messages"]) > 1:
                return {"messages": [AIMessage("done")]}
            return {"messages": [AIMessage("", tool_calls=[
                {"name": "send", "args": {"to": "bob", "body": "x"}, "id": None, "type": "tool_call"},
                {"name": "send", "args": {"to": "bob", "body": "hi"}, "id": "S", "type": "tool_call"}])]}

        b.add_node("agent", agent)
        b.add_node("tools", ToolNode([send]))
        b.add_edge(START, "agent")
        b.add_conditional_edges("agent", lambda s: "tools" if s["messages"][-1].tool_calls else END, ["tools", END])
        b.add_edge("tools", "agent")
    else:
        gated = graphs.guard_tool(send, gate=gate)
        b.add_node("plain", lambda s: {"messages": [AIMessage(str(gated.invoke({"to": "bob", "body": "hi"})))]})
        b.add_edge(START, "plain")
        b.add_edge("plain", END)
    return graphs.guard_graph(b, gate=gate, checkpointer=InMemorySaver()), gate


@pytest.mark.parametrize("how", ["tool node", "plain invocation"])
def test_an_erased_threads_answers_are_not_held(how: str) -> None:
    app, gate = _app(how)
    cfg = {"configurable": {"thread_id": "t"}}
    asked = app.invoke({"messages": [HumanMessage("note bob")]}, cfg)["__interrupt__"][0]
    out = app.invoke(Command(resume={asked.id: {"type": "edit", "args": {"to": "bob", "body": f"ssn {SSN}"}}}), cfg)
    assert "__interrupt__" not in out
    app.checkpointer.delete_thread("t")
    gate.delete_thread("t")
    gc.collect()
    held = [t for table in (_guard_node._MINTED, _gate._PLAIN) for t in _texts(table) if SSN in t]
    assert not held, f"the erased thread's edit is still held: {held}"
