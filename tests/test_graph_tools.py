"""Tool-level guarding, effect nodes, the retrofit coverage check and drawing."""

from __future__ import annotations

from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
import vfa
from vfa import ALLOW, CoverageError, Deny, UnmediatedEffectError, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def limit(p, c):
    if p.args.get("amount", 0) > 100:
        return Deny(reason=f"amount {p.args['amount']} is over the limit 100")
    return ALLOW


def payments():
    sent: list[tuple[str, int]] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        sent.append((to, amount))
        return f"paid {amount} to {to}"

    return pay, sent


# -- as_effect / guard_tool -----------------------------------------------------------------------


def test_an_effect_tool_refuses_to_run_outside_a_commit_and_runs_in_a_guarded_graph():
    pay, sent = payments()
    eff = graphs.as_effect(pay)
    assert eff.name == "pay" and eff.tool_call_schema.model_json_schema() == pay.tool_call_schema.model_json_schema()
    with pytest.raises(UnmediatedEffectError):
        eff.invoke({"to": "bob", "amount": 5})
    model = ScriptedModel([("pay", {"to": "bob", "amount": 5}), "ok"])
    builder = tool_loop(model_node(model), ToolNode([eff]))
    assert [n for n, _ in vfa.unmediated_nodes(builder)] == ["tools"]  # the kernel sees it as an effect too
    out = graphs.guard_graph(builder, [limit]).invoke({"messages": [("user", "go")]}, CFG)
    assert sent == [("bob", 5)] and out["messages"][2].content == "paid 5 to bob"


def test_guard_tool_verifies_commits_once_and_answers_a_denial_with_a_message():
    pay, sent = payments()
    gated = graphs.guard_tool(graphs.as_effect(pay), [limit])
    assert gated.invoke({"to": "bob", "amount": 5}) == "paid 5 to bob"
    denied = gated.invoke({"to": "eve", "amount": 500})
    assert isinstance(denied, ToolMessage) and denied.status == "error" and "limit" in denied.content
    call = {"name": "pay", "args": {"to": "cy", "amount": 7}, "id": "c1", "type": "tool_call"}
    first, again = gated.invoke(call), gated.invoke(call)
    assert first.content == again.content == "paid 7 to cy"
    assert sent == [("bob", 5), ("cy", 7)]  # eve never; cy once for one call id


# -- effect nodes and the coverage check ----------------------------------------------------------


def custom_graph(pay) -> StateGraph:
    """A graph whose own node calls a tool directly, outside any ToolNode."""

    def settle(state: MessagesState) -> dict[str, Any]:
        pay.invoke({"to": "landlord", "amount": int(state["messages"][-1].content)})
        return {"messages": [("ai", "settled")]}

    b = StateGraph(MessagesState)
    b.add_node("settle", settle)
    b.add_edge(START, "settle")
    b.add_edge("settle", END)
    return b


def test_a_custom_node_calling_a_raw_tool_is_reported_by_name_with_the_fix():
    pay, sent = payments()
    builder = custom_graph(pay)
    found = graphs.unmediated_nodes(builder)
    assert [n for n, _ in found] == ["settle"] and "holds the tool 'pay'" in found[0][1]
    with pytest.raises(CoverageError) as info:
        graphs.guard_graph(builder, [limit])
    assert info.value.nodes == ("settle",) and "effect_nodes" in str(info.value)
    assert graphs.unmediated_nodes(builder, read_only=["pay"]) == []


def test_a_custom_node_calling_a_tools_function_is_reported():
    sent: list[int] = []

    def pay_fn(amount: int) -> str:
        """Pay."""
        sent.append(amount)
        return "ok"

    pay = tool(pay_fn)
    model = ScriptedModel(["ok"])

    def sneaky(state: MessagesState) -> dict[str, Any]:
        pay_fn(5)
        return {"messages": [model.invoke(state["messages"])]}

    b = tool_loop(sneaky, ToolNode([pay]))
    reasons = dict(graphs.unmediated_nodes(b))
    assert "holds the function of tool 'pay_fn'" in reasons["agent"]
    assert "tools" in reasons


def test_an_effect_node_is_verified_committed_once_and_denied_without_running():
    pay, sent = payments()
    amount_of = {"settle": lambda state: {"amount": int(state["messages"][-1].content)}}
    g = graphs.guard_graph(custom_graph(pay), [limit], effect_nodes=amount_of, checkpointer=InMemorySaver())
    out = g.invoke({"messages": [("user", "40")]}, {"configurable": {"thread_id": "a"}})
    assert sent == [("landlord", 40)] and out["messages"][-1].content == "settled"
    out = g.invoke({"messages": [("user", "4000")]}, {"configurable": {"thread_id": "b"}})
    assert sent == [("landlord", 40)]  # denied: the node never ran, and wrote nothing
    assert out["messages"][-1].content == "4000"
    assert graphs.unmediated_nodes(g) == []


def test_effect_nodes_must_name_nodes():
    pay, _ = payments()
    with pytest.raises(vfa.ConfigError, match="setle"):
        graphs.guard_graph(custom_graph(pay), effect_nodes=["setle"])


# -- drawing ---------------------------------------------------------------------------------------


def _react_builder() -> StateGraph:
    """A ReAct graph (a scripted agent, a ToolNode paying), not yet guarded."""
    pay, _ = payments()
    model = ScriptedModel(["ok"])
    return tool_loop(model_node(model), ToolNode([pay]))


def _guarded_react_graph() -> Any:
    return graphs.guard_graph(_react_builder(), [limit])


def test_the_guarded_graph_is_drawn_with_its_guard_nodes_marked():
    b = _react_builder()
    g = graphs.guard_graph(b, [limit])
    assert graphs.guard_node_ids(g) == ["tools"]
    text = graphs.draw_mermaid(g)
    assert "class tools vfaGuard" in text and "classDef vfaGuard" in text and "agent -.-> tools" in text
    assert "vfaGuard" not in graphs.draw_mermaid(b.compile())


def test_a_png_is_drawn_locally_with_the_guard_nodes_named(tmp_path, monkeypatch):
    # the renderer (pygraphviz) stands in for itself: what vfa hands it and what it writes are vfa's
    from langchain_core.runnables.graph import Graph

    seen: list[list[str]] = []
    monkeypatch.setattr(Graph, "draw_png", lambda self, *a, **k: seen.append(
        [n.name for n in self.nodes.values()]) or b"\x89PNG fake")
    out = tmp_path / "graph.png"
    assert graphs.draw_png(_guarded_react_graph(), out) == b"\x89PNG fake" == out.read_bytes()
    assert "tools [vfa guard]" in seen[0] and "agent" in seen[0]


def test_without_pygraphviz_drawing_a_png_names_the_alternatives(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # not installed: importing it fails
    with pytest.raises(vfa.ConfigError, match="pygraphviz.*draw_mermaid"):
        graphs.draw_png(_guarded_react_graph())
