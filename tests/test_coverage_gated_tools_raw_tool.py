"""The coverage check passes a task (or node) that runs a gated tool's raw tool, `gated.tool.invoke`.

Scenario. The coverage check's fix for code that calls a tool itself is `gpay = graphs.guard_tool(pay,
gate=...)`. A `GatedTool` refuses every way of running its tool past the gate that it forwards (`func`,
`with_config`, `bind`, ...: `UnmediatedEffectError`), but it keeps the tool itself in a public attribute,
`gpay.tool`. A functional-API task (or a node of a `StateGraph`) doing `gpay.tool.invoke({"to": "bob",
"amount": 5})` runs `pay` with no verdict and no journal entry, and `graphs.unmediated_nodes` /
`graphs.check_coverage` report nothing: the walk does not enter a mediated object, so it never sees that
the code names the raw tool on it. `guard_graph` accepts such a graph, and the payment runs.

Why it matters: "coverage that says covered when an effect can run ungated". `check_coverage` names a node
that holds `pay` and calls `pay.invoke`; the same call reached through the gated wrapper's attribute is
one attribute away. Expected: the node is named (the code names `tool` on a `GatedTool` it holds, so it
holds the raw tool), as it is for `pay.invoke`.

Fixed: a mediated object names the attributes that hand out what it mediates (`__vfa_unmediated__`:
a `GatedTool`'s `tool`); the walk reads each one the code names on it as held, ungated.
"""

from __future__ import annotations

from typing import Any

from _mediation import PAID, assert_refused_or_pays_nothing, budget, one_node, pay
from langgraph.func import entrypoint, task
from langgraph.graph import MessagesState

import graphs

GATE = graphs.ToolGate([budget])
GPAY = graphs.guard_tool(pay, gate=GATE)


@task
def settle(amount: int) -> str:
    return GPAY.tool.invoke({"to": "mallory", "amount": amount})


@entrypoint()
def payout(amount: int) -> str:
    return settle(amount).result()


def _node(state: MessagesState) -> dict[str, Any]:
    GPAY.tool.invoke({"to": "mallory", "amount": 5000})
    return {"messages": []}


def test_task_running_the_gated_tools_raw_tool_is_named() -> None:
    assert graphs.unmediated_nodes(payout) != [], "a task that pays through gated.tool passes the coverage check"


def test_node_running_the_gated_tools_raw_tool_is_refused_or_pays_nothing() -> None:
    PAID.clear()
    assert_refused_or_pays_nothing(one_node("settle", _node), {"messages": []}, gate=GATE)
