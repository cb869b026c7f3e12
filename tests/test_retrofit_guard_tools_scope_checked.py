"""A guard whose `tools` names no tool of the app, given to `guard_graph`, judged nothing, silently.

`Agent.compile()` refuses a chain guard whose `tools` names a tool the agent lacks (a typo such as
"pya", or `CollisionGuard`'s default "move" on an app whose motion tool is "move_to"). `guard_graph`
took the same guard on an existing app without a word, and the payment it was written to stop
committed: the same mistake must fail the same way on both paths.

Fixed: `guard_graph` runs `Agent.compile()`'s scope check over the tools and effect nodes it gated
(when it made the gate; a gate shared with other graphs may hold guards for their tools).
"""

from __future__ import annotations

import pytest
from _tool_loop import model_node, tool_loop
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.prebuilt import ToolNode

import graphs
from vfa import ALLOW, Deny, PolicyError, guard
from vfa.testing import ScriptedModel


def _app(paid: list):
    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return "paid"

    return tool_loop(model_node(ScriptedModel([("pay", {"to": "eve", "amount": 50})])), ToolNode([pay]))


def _not_eve(p, c):
    return Deny(reason="never pay eve") if p.args.get("to") == "eve" else ALLOW


def test_guard_graph_refuses_a_guard_naming_a_tool_the_app_lacks() -> None:
    paid: list = []
    with pytest.raises(PolicyError, match="pya"):
        app = graphs.guard_graph(_app(paid), [guard(tools=["pya"])(_not_eve)])  # meant: "pay"
        app.invoke({"messages": [HumanMessage("pay eve")]})
    assert paid == []


def test_guard_graph_takes_a_guard_scoped_to_an_effect_node_or_a_tool_it_has() -> None:
    paid: list = []
    app = graphs.guard_graph(_app(paid), [guard(tools=["pay"])(_not_eve)])
    app.invoke({"messages": [HumanMessage("pay eve")]})
    assert paid == []  # judged, and denied


def test_a_shared_gate_may_hold_guards_for_other_graphs_tools() -> None:
    paid: list = []
    gate = graphs.ToolGate([guard(tools=["pay", "move_to"])(_not_eve)])
    app = graphs.guard_graph(_app(paid), gate=gate)
    app.invoke({"messages": [HumanMessage("pay eve")]})
    assert paid == []
