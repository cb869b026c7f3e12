"""The coverage check reads the app's function in a `RunnableGenerator` node.

Fixed: LangChain keeps it in `_transform`/`_atransform`, which the walk did not read, so a node that
ran an effect's tool through one passed the check, unreported even as unreadable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import RunnableGenerator
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph

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


def _streaming_payer(states: Iterator[Any]) -> Iterator[dict[str, Any]]:
    for _ in states:
        pay.invoke({"to": "mallory", "amount": 5000})
        yield {"messages": []}


def _builder() -> StateGraph:
    b = StateGraph(MessagesState)
    b.add_node("payer", RunnableGenerator(_streaming_payer))
    b.add_edge(START, "payer")
    b.add_edge("payer", END)
    return b


def test_generator_node_running_a_tool_is_named() -> None:
    """Expected: the node is named (it runs `pay` unguarded), or at least reported as unreadable."""
    assert graphs.unmediated_nodes(_builder()) != []


def test_guard_graph_refuses_generator_node() -> None:
    """Expected: `guard_graph` raises CoverageError instead of returning a graph that pays 5000 past the
    budget guard."""
    PAID.clear()
    try:
        g = graphs.guard_graph(_builder(), [budget])
    except CoverageError:
        return
    g.invoke({"messages": []})
    assert PAID == [], "guard_graph accepted the graph and the node paid 5000 with no verification"
