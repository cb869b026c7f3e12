"""A ToolGate whose guards hold an agent-level precondition for each of two tools registers neither tool.

`ToolGate._lint` runs every guard of the gate's chain on the one tool being registered
(`lint_guards(chain.guards, {spec.name: spec})`). `PreconditionGuard.for_tool(refund, ...)`'s lint, given
only `pay`, raises "requires:refund: the agent has no tool 'refund'", so `gate.gated(pay)` fails, and so
does `gate.gated(refund)` (for `pay`'s guard): a gate checking each tool's own limits cannot be built. An
`Agent` with the same guards compiles (its lint is given every tool at once).

What must hold: a gate registers each tool its guards name, linting with that tool the guards that judge it
(those whose `tools` are None or name it), as the chain applies them; a contradiction on one tool is still
a `PolicyError` at its registration.

Fixed: `ToolGate._lint` lints a tool with the chain's guards that judge it (`tools` None or naming it).

Fixed: a ToolGate lints a tool with the guards that judge it (tools None or naming it).
"""

from __future__ import annotations

import pytest
from langchain_core.tools import tool

from graphs import ToolGate
from guards import PreconditionGuard
from vfa import PolicyError


@tool
def pay(amount: int) -> str:
    """Pay an amount."""
    return "paid"


@tool
def refund(amount: int) -> str:
    """Refund an amount."""
    return "refunded"


def test_a_gate_registers_two_tools_each_with_its_own_precondition():
    gate = ToolGate(guards=[PreconditionGuard.for_tool(pay, "amount > 10"),
                            PreconditionGuard.for_tool(refund, "amount < 5")])
    gate.gated(pay)
    gate.gated(refund)
    assert sorted(gate.node.specs) == ["pay", "refund"]


def test_a_contradiction_on_one_tool_is_still_refused_at_its_registration():
    gate = ToolGate(guards=[PreconditionGuard.for_tool(pay, "amount > 10"),
                            PreconditionGuard.for_tool(pay, "amount < 5"),
                            PreconditionGuard.for_tool(refund, "amount < 5")])
    gate.gated(refund)
    with pytest.raises(PolicyError, match="can never hold"):
        gate.gated(pay)
