"""A gated tool hands out what it runs only sealed: readable (name, doc, type hints), never callable.

Fixed: `GatedTool.__getattr__` refused only bound methods, so `gated.func(...)` (a `StructuredTool`'s
function) ran the tool with no proposal, guard or journal entry, and a node doing so passed the
coverage check. `func` and `coroutine` are now sealed (LangGraph reads their hints for injected
arguments), and every other callable but the tool's schemas is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from _mediation import PAID, budget, one_node, pay
from langgraph.graph import MessagesState

import graphs
from vfa import CoverageError, UnmediatedEffectError


def test_gated_tool_does_not_hand_out_the_raw_function() -> None:
    """Expected: reading `func` off a gated tool is refused like its methods are (UnmediatedEffectError),
    since calling it runs the tool past the gate."""
    PAID.clear()  # shared with the other mediation tests
    gated = graphs.guard_tool(pay, [budget])
    with pytest.raises(UnmediatedEffectError):
        gated.func(to="mallory", amount=5000)
    assert PAID == [], "the tool ran with no verification, past the budget guard"


def test_node_calling_gated_func_is_refused_or_named() -> None:
    """Expected: a node that runs `gated.func(...)` either is named by the coverage check (`guard_graph`
    raises CoverageError) or cannot run the tool at all; it must never pay 5000 past the budget guard."""
    PAID.clear()
    gate = graphs.ToolGate([budget])
    gated = graphs.guard_tool(pay, gate=gate)

    def payer(state: MessagesState) -> dict[str, Any]:
        gated.func(to="mallory", amount=5000)  # looks like the gated tool; is the raw function
        return {"messages": []}

    try:
        g = graphs.guard_graph(one_node("payer", payer), gate=gate)
    except CoverageError:
        return
    try:
        g.invoke({"messages": []})
    except UnmediatedEffectError:
        pass
    assert PAID == [], "the node paid 5000 with no proposal, no guard and no journal entry"
