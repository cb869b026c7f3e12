from __future__ import annotations

import functools
import operator
from typing import Any

import pytest
from _mediation import one_node
from _tool_loop import tool_loop
from langchain_core.tools import StructuredTool
from langchain_core.runnables import Runnable
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from vfa import Agent, CoverageError, GuardNode, check_coverage, unmediated_nodes
from vfa.testing import ScriptedModel


def _react(tools_node):
    return tool_loop(lambda s: {"messages": []}, tools_node)


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


# -- the shapes a node's code can take: methods, partials, callable objects, runnables of your own ------


class Payer:
    def __init__(self, transfer: Any) -> None:
        self.transfer = transfer
        self.note = "unused"

    def run(self, state: MessagesState) -> dict[str, Any]:
        return self._pay()

    def _pay(self) -> dict[str, Any]:
        self.transfer(to="eve", amount=1)
        return {}

    def __call__(self, state: MessagesState) -> dict[str, Any]:
        return self.run(state)


class Idle:
    def __init__(self, transfer: Any) -> None:
        self.transfer = transfer  # held, but the node's code never names it

    def run(self, state: MessagesState) -> dict[str, Any]:
        return {}


class PayRunnable(Runnable):
    def __init__(self, transfer: Any) -> None:
        self.transfer = transfer

    def invoke(self, state: Any, config: Any = None, **kwargs: Any) -> dict[str, Any]:
        self.transfer(to="eve", amount=1)
        return {}


def _pay_with(transfer: Any, state: MessagesState) -> dict[str, Any]:
    transfer(to="eve", amount=1)
    return {}


@pytest.mark.parametrize("shape", ["bound method", "callable object", "partial", "partial keyword",
                                   "partial of a method", "runnable of your own"])
def test_an_effect_reached_through_a_method_a_partial_or_an_object_is_found(bank, shape):
    transfer, _ = bank.tools()
    node = {
        "bound method": Payer(transfer).run,
        "callable object": Payer(transfer),
        "partial": functools.partial(_pay_with, transfer),
        "partial keyword": functools.partial(_pay_with, transfer=transfer),
        "partial of a method": functools.partial(Payer(transfer).run),
        "runnable of your own": PayRunnable(transfer),
    }[shape]
    found = unmediated_nodes(one_node("n", node))
    assert [n for n, _ in found] == ["n"] and "'transfer'" in found[0][1]
    with pytest.raises(CoverageError) as info:
        check_coverage(one_node("n", node))
    assert info.value.nodes == ("n",)
    assert bank.sent == []


def test_a_method_that_never_names_the_effect_it_holds_passes(bank):
    transfer, _ = bank.tools()
    check_coverage(one_node("n", Idle(transfer).run))
    check_coverage(one_node("n", functools.partial(Idle.run, Idle(transfer))))


def test_a_node_holding_a_graph_with_an_unguarded_effect_is_found(bank):
    transfer, _ = bank.tools()
    as_tool = StructuredTool.from_function(transfer, name="transfer", description="send")
    inner = _react(ToolNode([as_tool])).compile(name="inner")

    def delegate(state: MessagesState) -> dict[str, Any]:
        return inner.invoke(state)

    found = unmediated_nodes(one_node("n", delegate))
    assert [n for n, _ in found] == ["n"] and "graph 'inner'" in found[0][1] and "effects" in found[0][1]


def test_a_node_whose_code_cannot_be_read_is_reported(bank):
    from langgraph._internal._runnable import RunnableCallable

    node = RunnableCallable(lambda state: {}, name="n")
    node.func = operator.methodcaller("invoke", {"to": "d"})  # C code: what it calls cannot be read
    found = unmediated_nodes(one_node("n", node))
    assert [n for n, _ in found] == ["n"] and found[0][1].startswith("cannot inspect node 'n'")
