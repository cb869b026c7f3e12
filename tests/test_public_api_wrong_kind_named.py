"""Public functions of `graphs` (and `Agent`'s model, `verify_plan`'s and `After`'s numbers) given an object of
the wrong kind crash with a bare `AttributeError`/`OverflowError` from deep inside, naming no argument.

`tests/test_public_api_wrong_kind_is_type_error.py` set the rule for `vfa` and `guards`: misuse is a `TypeError`,
a `ValueError` or a `VfaError` naming what is wrong, never an `AttributeError` ("reads as a bug in vfa"). These
were left out:

- `graphs.guard_tool(fn)` with a plain function ("'function' object has no attribute 'name'"), or None;
- every `gate=` of graphs given something that is no `ToolGate` (`guard_tool`, `guard_graph`, `guard_tool_node`,
  `EffectNode`: "'str' object has no attribute 'gated'/'node'"); `GuardMiddleware(gate="x")` is even accepted
  and fails only at the first tool call ("'str' object has no attribute 'read'");
- `guard_tool_node(None, gate)`, `draw_mermaid(None)`, `guard_node_ids(None)`, `plan_execute(None)`;
- `Agent(None, tools)` / `Agent("gpt-4o", tools)`: accepted, then `compile()` fails with
  "'NoneType' object has no attribute 'bind_tools'";
- `verify_plan(..., timeout_ms=math.inf)` and `After(..., within=math.inf)`: `OverflowError`.

Fixed: each raises a TypeError, ConfigError or SceneError naming the argument where it is given.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from langchain_core.tools import tool
from langgraph.prebuilt import ToolNode
from pydantic import BaseModel

import graphs
import guards
from vfa import Agent, VfaError, effect
from vfa.testing import ScriptedModel


def lookup(x: int) -> int:
    """A plain function."""
    return x


@tool
def search(q: str) -> str:
    """Search."""
    return q


class Account(BaseModel):
    balance: int


@effect
@guards.requires("0 < amount <= state.balance", state=Account)
def transfer(to: str, amount: int) -> str:
    """Send money."""
    return "sent"


CASES: dict[str, Any] = {
    "guard_tool(plain function)": lambda: graphs.guard_tool(lookup),
    "guard_tool(None)": lambda: graphs.guard_tool(None),
    "guard_tool(gate='x')": lambda: graphs.guard_tool(search, gate="x"),
    "guard_graph(gate=1)": lambda: graphs.guard_graph(_graph(), gate=1),
    "guard_tool_node(None, gate)": lambda: graphs.guard_tool_node(None, graphs.ToolGate()),
    "guard_tool_node(node, None)": lambda: graphs.guard_tool_node(ToolNode([search]), None),
    "EffectNode(gate=None)": lambda: graphs.EffectNode("pay", lambda s: s, None),
    "GuardMiddleware(gate='x')": lambda: graphs.GuardMiddleware(gate="x"),
    "draw_mermaid(None)": lambda: graphs.draw_mermaid(None),
    "guard_node_ids(None)": lambda: graphs.guard_node_ids(None),
    "plan_execute(None)": lambda: graphs.plan_execute(None),
    "Agent(None)": lambda: Agent(None, [lookup]),
    "Agent('gpt-4o')": lambda: Agent("gpt-4o", [lookup]),
    "verify_plan(timeout_ms=inf)": lambda: guards.verify_plan(
        [guards.Step("transfer", to="a", amount=1)], [transfer], state=Account, initial=Account(balance=5),
        timeout_ms=math.inf),
    "After(within=inf)": lambda: guards.After(guards.state("x"), guards.state("y"), within=math.inf),
}


def _graph() -> Any:
    from langgraph.graph import START, MessagesState, StateGraph

    b = StateGraph(MessagesState)
    b.add_node("tools", ToolNode([search]))
    b.add_edge(START, "tools")
    return b.compile()


@pytest.mark.parametrize("call", list(CASES), ids=list(CASES))
def test_wrong_kind_is_a_clear_error_where_it_is_given(call):
    # a bare AttributeError or OverflowError is neither, and fails the test as it is raised
    with pytest.raises((TypeError, ValueError, VfaError)):
        CASES[call]()


def test_an_agent_given_a_scripted_model_still_builds():
    app = Agent(ScriptedModel(["ok"]), [lookup]).compile()
    assert app.invoke({"messages": [("user", "hi")]})["messages"][-1].content == "ok"


@pytest.mark.parametrize("kwargs", [{"journal": 1}, {"journal": "journal.db"}, {"inline": "no"}, {"inline": None}])
def test_a_privacy_guard_of_the_wrong_kind_is_refused_where_built(kwargs) -> None:
    from guards import PrivacyFlow, PrivacyGuard, PrivacyPolicy

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"k")
    with pytest.raises(TypeError, match=next(iter(kwargs))):
        PrivacyGuard(flow, **kwargs)
