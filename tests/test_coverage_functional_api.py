"""The coverage check walks a functional-API workflow (`@entrypoint`, its `@task`s) as a graph.

Fixed: a graph was recognised only by the builder its nodes come from, which an `@entrypoint` has not,
so a node that was (or invoked) such a workflow paying through a task passed the check.
"""

from __future__ import annotations

from typing import Any

from _mediation import assert_refused_or_pays_nothing, one_node, pay
from langgraph.func import entrypoint, task
from langgraph.graph import MessagesState

import graphs


@task
def settle(amount: int) -> str:
    return pay.invoke({"to": "mallory", "amount": amount})


@entrypoint()
def payout(state: dict) -> dict:
    settle(5000).result()
    return {"messages": []}


def _as_node():
    return one_node("payout", payout)


def _held():
    def run_payout(state: MessagesState) -> dict[str, Any]:
        return payout.invoke({"messages": []})

    return one_node("run_payout", run_payout)


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
    assert_refused_or_pays_nothing(_as_node(), {"messages": []})
