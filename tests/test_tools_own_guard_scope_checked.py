"""A tool's own guard whose `tools` leave out that tool judges none of its calls, silently.

A guard attached to a tool (`@effect(guards=[...])`, `vfa.annotate`) runs only for proposals of the tools its
`tools` name (`GuardChain._plan` filters the tool's own guards as it does the chain's). `Agent.compile()` refuses a
chain guard that names no tool of the agent (`lint_scope`), but never looks at a tool's own guards: a guard made
with `tools=["pay"]` and attached to `transfer` (a copied guard, a renamed tool, `CollisionGuard`'s default
scope `("move",)` on a tool named `move_arm`) is accepted, and every call of the tool it guards is committed
unjudged.

What must hold: a tool's own guard that could never judge that tool is refused where the tool is described (a
`ConfigError` naming the guard and the tool), and nothing is committed; a tool's own guard scoped to it (or to
every tool) still judges it.

Fixed: a tool's own guard scoped away from it is a ConfigError naming the guard and the tool (vfa/_guard.py
check_scopes, from ToolSpec).
"""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage
from langchain_core.tools import tool

import graphs
from vfa import Agent, ConfigError, Deny, annotate, effect, guard
from vfa.testing import ScriptedModel


def _run(tools_of_guard):
    sent: list[str] = []
    never = guard(lambda p, c: Deny(reason="no transfers today"), name="no_transfers", tools=tools_of_guard)

    @effect(guards=[never])
    def transfer(to: str) -> str:
        """Send money."""
        sent.append(to)
        return "sent"

    model = ScriptedModel([AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "mallory"}, "id": "1"}]),
                           "done"])
    Agent(model, [transfer]).compile().invoke({"messages": [("user", "pay")]})
    return sent


@pytest.mark.parametrize("scope", [None, ["transfer"], ["transfer", "refund"]])
def test_a_tools_own_guard_scoped_to_it_judges_it(scope):
    assert _run(scope) == []


@pytest.mark.parametrize("scope", [["pay"], []])
def test_a_tools_own_guard_scoped_elsewhere_is_refused(scope):
    sent: list[str] = []
    with pytest.raises(ConfigError, match="no_transfers"):
        sent = _run(scope)
    assert sent == []


def test_a_langchain_tools_own_guard_scoped_elsewhere_is_refused_by_the_gate():
    never = guard(lambda p, c: Deny(reason="no"), name="no_search", tools=["browse"])

    def search(q: str) -> str:
        """Search."""
        return q

    annotate(search, guards=[never])
    with pytest.raises(ConfigError, match="no_search"):
        graphs.guard_tool(tool(search))
