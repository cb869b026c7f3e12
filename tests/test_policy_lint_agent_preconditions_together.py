"""Two agent-level preconditions on one tool that contradict each other are a lint error.

DESIGN: "unsatisfiable, vacuous or conflicting preconditions are errors". `amount > 10` and
`amount < 5`, each from `PreconditionGuard.for_tool`, leave the tool no call it could ever make; the
lint checks each guard with the tool's own clauses only, so the conflict passes and every call is denied
at run time.

Fixed: Agent.lint (and a ToolGate's lint of each tool) runs PreconditionGuard.lint_together over the agent-
level preconditions of each tool (vfa._compile.lint_guards).
"""

import pytest

from guards import PreconditionGuard
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


@effect
def pay(amount: int) -> str:
    """Pay."""
    return "ok"


def test_two_agent_level_preconditions_contradicting_each_other() -> None:
    over = PreconditionGuard.for_tool(pay, "amount > 10")
    under = PreconditionGuard.for_tool(pay, "amount < 5")
    with pytest.raises(PolicyError, match="can never hold") as info:
        Agent(ScriptedModel([]), tools=[pay], guards=[over, under]).lint()
    assert set(info.value.clauses) == {"amount > 10", "amount < 5"}


def test_a_gate_lints_a_tools_agent_preconditions_together() -> None:
    """A `ToolGate` refuses the same pair when the tool is registered, and registers nothing."""
    from langchain_core.tools import tool

    from graphs import ToolGate

    @tool
    def send(amount: int) -> str:
        """Send."""
        return "ok"

    gate = ToolGate([PreconditionGuard.for_tool(send, "amount > 10"), PreconditionGuard.for_tool(send, "amount < 5")])
    with pytest.raises(PolicyError, match="can never hold"):
        gate.register(send)
    assert "send" not in gate.node.specs
