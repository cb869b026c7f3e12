"""What the complete-mediation tests share: an ungated payment tool, a budget guard, a one-node graph."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph

import graphs
from vfa import ALLOW, CoverageError, Deny, guard

PAID: list[tuple[str, int]] = []
"""What `pay` paid, in order."""


@tool
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    PAID.append((to, amount))
    return "paid"


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


def one_node(name: str, node: Any, state: Any = MessagesState) -> StateGraph:
    """A graph of one node, from START to END."""
    b = StateGraph(state)
    b.add_node(name, node)
    b.add_edge(START, name)
    b.add_edge(name, END)
    return b


def assert_refused_or_pays_nothing(builder: StateGraph, payload: Any, **gate: Any) -> None:
    """`guard_graph` raises CoverageError for the graph, or the graph it returns pays nothing past the
    budget guard (never 5000 with no verification)."""
    PAID.clear()
    try:
        g = graphs.guard_graph(builder, **(gate or {"guards": [budget]}))
    except CoverageError:
        return
    g.invoke(payload)
    assert PAID == [], "guard_graph accepted the graph and a node paid 5000 with no verification"
