from __future__ import annotations

import pytest
from langchain_core.tools import StructuredTool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from vfa import Agent, CoverageError, GuardNode, check_coverage, unmediated_nodes
from vfa.testing import ScriptedModel


def _react(tools_node):
    builder = StateGraph(MessagesState)
    builder.add_node("agent", lambda s: {"messages": []})
    builder.add_node("tools", tools_node)
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    return builder


def test_a_hand_built_tool_node_with_an_effect_is_rejected(bank):
    transfer, lookup = bank.tools()
    as_tool = StructuredTool.from_function(transfer, name="transfer", description="send")
    builder = _react(ToolNode([as_tool, lookup]))
    with pytest.raises(CoverageError, match="node 'tools'.*transfer") as info:
        check_coverage(builder)
    assert info.value.nodes == ("tools",)
    assert "GuardNode" in str(info.value)


def test_a_tool_node_behind_fallbacks_is_found(bank):
    transfer, _ = bank.tools()
    as_tool = StructuredTool.from_function(transfer, name="transfer", description="send")
    node = ToolNode([as_tool]).with_fallbacks([ToolNode([as_tool])])
    assert [n for n, _ in unmediated_nodes(_react(node))] == ["tools"]


def test_a_custom_node_calling_an_effect_is_found(bank):
    transfer, _ = bank.tools()

    def helper(state):
        return transfer(to="eve", amount=1)

    def pay(state):
        helper(state)
        return {}

    builder = StateGraph(MessagesState)
    builder.add_node("pay", pay)
    builder.add_edge(START, "pay")
    builder.add_edge("pay", END)
    found = unmediated_nodes(builder)
    assert found and found[0][0] == "pay" and "transfer" in found[0][1]


def test_read_only_tool_nodes_and_guard_nodes_pass(bank):
    transfer, lookup = bank.tools()
    check_coverage(_react(ToolNode([lookup])))
    check_coverage(_react(GuardNode([transfer, lookup])))


def test_compiled_subgraphs_are_checked(bank):
    transfer, _ = bank.tools()
    as_tool = StructuredTool.from_function(transfer, name="transfer", description="send")
    inner = _react(ToolNode([as_tool])).compile()
    outer = StateGraph(MessagesState)
    outer.add_node("inner", inner)
    outer.add_edge(START, "inner")
    assert [n for n, _ in unmediated_nodes(outer)] == ["inner/tools"]


def test_agents_compile_only_when_covered(bank):
    transfer, lookup = bank.tools()
    agent = Agent(ScriptedModel(["done"]), [transfer, lookup])
    check_coverage(agent.compile())
