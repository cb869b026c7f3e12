"""A ToolNode that a node function of the app's own holds and runs (a wrapper that logs or post-processes)
is named by the coverage check: `guard_graph` gates the ToolNodes that are nodes, not one a function
holds, so it refuses to compile such a graph (red team 49)."""
from __future__ import annotations

from typing import Any

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.tools import tool
from langgraph.graph import MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ALLOW, CoverageError, Deny, guard
from vfa.testing import ScriptedModel


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


def _builder() -> tuple[StateGraph, list[Any]]:
    paid: list[Any] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return "paid"

    tool_node = ToolNode([pay])

    def tools(state: MessagesState) -> dict[str, Any]:
        out = tool_node.invoke(state)  # the app's wrapper: e.g. logs each tool round
        return out

    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])
    b = tool_loop(model_node(model), tools)
    return b, paid


def test_check_coverage_names_a_node_that_runs_a_toolnode_it_holds() -> None:
    b, _ = _builder()
    with pytest.raises(CoverageError, match="holds a ToolNode that runs the tools pay"):
        graphs.guard_graph(b, [budget])
