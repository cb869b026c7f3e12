"""The coverage check reads what a partial binds, even into LangChain's own function.

Fixed: `RunnableLambda(functools.partial(BaseTool.invoke, pay))` passed the check: a partial whose
function was LangChain's was skipped whole, its bound tool unread.
"""

from __future__ import annotations

import functools
from typing import Any, TypedDict

from langchain_core.runnables import RunnableLambda
from langchain_core.tools import BaseTool, tool
from langgraph.graph import END, START, StateGraph

import graphs
from vfa import ALLOW, CoverageError, Deny, guard

PAID: list[tuple[str, int]] = []


@tool
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    PAID.append((to, amount))
    return "paid"


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


class Order(TypedDict):
    to: str
    amount: int
    out: Any


def _builder() -> StateGraph:
    b = StateGraph(Order)
    b.add_node("pay_order", RunnableLambda(functools.partial(BaseTool.invoke, pay)) | (lambda r: {"out": r}))
    b.add_edge(START, "pay_order")
    b.add_edge("pay_order", END)
    return b


def test_partial_of_langchain_function_holding_a_tool_is_named() -> None:
    """Expected: the node is named: the partial holds `pay` and runs it outside any gate."""
    assert graphs.unmediated_nodes(_builder()) != []


def test_guard_graph_refuses_it() -> None:
    """Expected: `guard_graph` raises CoverageError rather than returning a graph that pays 5000 past the
    budget guard."""
    PAID.clear()
    try:
        g = graphs.guard_graph(_builder(), [budget])
    except CoverageError:
        return
    g.invoke({"to": "mallory", "amount": 5000, "out": None})
    assert PAID == [], "guard_graph accepted the graph and the node paid 5000 with no verification"
