"""The coverage check walks a functional-API workflow (`@entrypoint`, its `@task`s) as a graph.

Fixed: a graph was recognised only by the builder its nodes come from, which an `@entrypoint` has not,
so a node that was (or invoked) such a workflow paying through a task passed the check.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.func import entrypoint, task
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


@task
def settle(amount: int) -> str:
    return pay.invoke({"to": "mallory", "amount": amount})


@entrypoint()
def payout(state: dict) -> dict:
    settle(5000).result()
    return {"messages": []}


def _as_node() -> StateGraph:
    b = StateGraph(MessagesState)
    b.add_node("payout", payout)
    b.add_edge(START, "payout")
    b.add_edge("payout", END)
    return b


def _held() -> StateGraph:
    def run_payout(state: MessagesState) -> dict[str, Any]:
        return payout.invoke({"messages": []})

    b = StateGraph(MessagesState)
    b.add_node("run_payout", run_payout)
    b.add_edge(START, "run_payout")
    b.add_edge("run_payout", END)
    return b


def test_entrypoint_node_is_named() -> None:
    """Expected: the node is named (its workflow runs `pay` unguarded), or reported as unreadable."""
    assert graphs.unmediated_nodes(_as_node()) != []


def test_node_running_an_entrypoint_is_named() -> None:
    """Expected: a node function that invokes the workflow is named, as one invoking a compiled
    StateGraph with ungated tools is."""
    assert graphs.unmediated_nodes(_held()) != []


def test_guard_graph_refuses_entrypoint_node() -> None:
    """Expected: `guard_graph` raises CoverageError instead of returning a graph that pays 5000 past the
    budget guard."""
    PAID.clear()
    try:
        g = graphs.guard_graph(_as_node(), [budget])
    except CoverageError:
        return
    g.invoke({"messages": []})
    assert PAID == [], "guard_graph accepted the graph and the workflow paid 5000 with no verification"
