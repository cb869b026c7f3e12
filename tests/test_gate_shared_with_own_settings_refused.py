"""Guards (and a journal, world, flow or read_only) given together with a shared `gate=` are silently dropped.

`graphs.guard_graph(graph, [budget], gate=shared)`, `GuardMiddleware([budget], gate=shared)` and
`guard_tool(tool, [budget], gate=shared)` build nothing from their own settings when a gate is given: the guard
list is thrown away without a word, and every call runs with the shared gate's guards only. A developer adding a
guard to one graph that shares another's gate (README: `guard_graph(agent, gate=mw.gate)`) gets a graph that
compiles and commits what that guard would deny. The same holds for `journal=`, `world=`, `flow=` (a privacy
flow that never labels anything) and `read_only=`.

What must hold: a setting the gate would replace is refused where it is given (a `ConfigError` naming it and
saying it belongs to the gate), and nothing runs; `gate=` alone still shares the gate.

Fixed: guards, a journal, world, flow or read_only given beside a shared gate= are a ConfigError naming the
setting (graphs/_gate.py shared_gate).
"""

from __future__ import annotations

import pytest
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ConfigError, Deny, EffectJournal, guard

NEVER = guard(lambda p, c: Deny(reason="no payments"), name="no_payments")


@tool
def pay(to: str) -> str:
    """Pay someone."""
    return "paid"


def _graph():
    b = StateGraph(MessagesState)
    b.add_node("tools", ToolNode([pay]))
    b.add_edge(START, "tools")
    return b


SETTINGS = {
    "guards": [NEVER],
    "journal": EffectJournal(":memory:"),
    "world": {"balance": 1},
    "read_only": ["pay"],
}

MAKERS = {
    "guard_graph": lambda gate, **kw: graphs.guard_graph(_graph(), gate=gate, **kw),
    "GuardMiddleware": lambda gate, **kw: graphs.GuardMiddleware(gate=gate, **kw),
    "guard_tool": lambda gate, **kw: graphs.guard_tool(
        pay, gate=gate, **{**kw, **({"read_only": True} if "read_only" in kw else {})}),
}


@pytest.mark.parametrize("maker", list(MAKERS))
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_a_setting_the_shared_gate_replaces_is_refused(maker, setting):
    with pytest.raises(ConfigError, match=setting):
        MAKERS[maker](graphs.ToolGate(), **{setting: SETTINGS[setting]})


def test_the_guard_of_a_graph_sharing_a_gate_is_not_dropped():
    gate = graphs.ToolGate()
    try:
        app = graphs.guard_graph(_graph(), [NEVER], gate=gate)
    except ConfigError:
        return  # refused where written: nothing runs unjudged
    out = app.invoke({"messages": [{"role": "ai", "content": "", "tool_calls": [
        {"name": "pay", "args": {"to": "bob"}, "id": "1", "type": "tool_call"}]}]})
    assert out["messages"][-1].status == "error"


@pytest.mark.parametrize("maker", list(MAKERS))
def test_a_gate_alone_is_shared(maker):
    gate = graphs.ToolGate([NEVER])
    made = MAKERS[maker](gate)
    assert (made.gate if hasattr(made, "gate") else gate) is gate
