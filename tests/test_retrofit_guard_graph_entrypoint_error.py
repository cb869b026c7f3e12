"""`guard_graph` of a functional-API workflow refuses it with an error that contradicts itself.

Scenario. `graphs.guard_graph(workflow, [budget])` where `workflow` is an `@entrypoint` (a compiled
LangGraph `Pregel`, as `builder.compile()` is) raises `ConfigError("guard_graph needs a StateGraph or a
compiled graph, got Pregel")`: it was given a compiled graph, and the message names neither why this one is
refused (an entrypoint has no `StateGraph` builder, no `ToolNode` to gate) nor what to do instead.

Why it matters: the refusal is right (fail closed), but a clear error is part of the contract for bad
input; the app's author is left with no way forward. Expected: the error names the functional API and the
way to guard it: its tasks call tools through `graphs.guard_tool(tool, gate=...)`, and
`graphs.check_coverage(workflow)` names any that does not.

Fixed: `guard_graph` tells an `@entrypoint` apart and says so.
"""

from __future__ import annotations

import pytest
from _mediation import budget, pay
from langgraph.func import entrypoint, task

import graphs
from vfa import ConfigError


@task
def settle(amount: int) -> str:
    return pay.invoke({"to": "mallory", "amount": amount})


@entrypoint()
def payout(amount: int) -> str:
    return settle(amount).result()


def test_guard_graph_of_an_entrypoint_says_what_to_do() -> None:
    with pytest.raises(ConfigError) as info:
        graphs.guard_graph(payout, [budget])
    text = str(info.value)
    assert "entrypoint" in text and "guard_tool" in text and "check_coverage" in text, text
