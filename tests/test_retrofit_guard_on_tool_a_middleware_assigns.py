"""`guard_graph` refused a guard scoped to a tool a middleware assigns at run time, which its gate judged.

The README: a `ToolNode`'s own `wrap_tool_call` "is handed the call with its tools gated, so one that runs
`request.tool` itself runs it through the guards", and the gate registers the tools a model request carries
(`ToolGate.read`). An agent whose middleware adds `pay` to the model's request and hands it to the tool call
(`request.tool = pay`) had `guard(tools=["pay"])` judge and deny the payment. Since `guard_graph` runs
`Agent.compile()`'s scope check (a44d121), it raises `PolicyError: guard 'never_pay' applies to 'pay', which
the agent has no tool of`: the one guard that stops the payment can no longer be given, and an app that
drops it to get past the error pays unguarded. The check only sees the tools the graph's `ToolNode`s hold at
build time.

Expected: the guard is taken and denies the payment, as before the change (a `ToolNode` with a
`wrap_tool_call` of its own may run tools it was not built with).

Fixed: where a `ToolNode` has a `wrap_tool_call` of its own (`ToolGate.wraps_tools`), a guard for a tool
no node holds is warned of (`UserWarning`), not refused; without one it is still a `PolicyError`.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain_core.tools import tool
from test_middleware_tools import _model, _pay

import graphs
from vfa import Deny, guard


@tool
def lookup(q: str) -> str:
    """Look up."""
    return "ok"


def test_a_guard_on_a_tool_a_middleware_assigns_is_taken_and_judges_it() -> None:
    paid: list[int] = []
    pay = _pay(paid)

    class RuntimeTools(AgentMiddleware):
        def wrap_model_call(self, request: Any, handler: Any) -> Any:
            return handler(request.override(tools=[*request.tools, pay]))

        def wrap_tool_call(self, request: Any, handler: Any) -> Any:
            if request.tool_call["name"] == "pay":
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    request.tool = pay
            return handler(request)

    @guard(tools=["pay"])
    def never_pay(p: Any, c: Any) -> Any:
        return Deny(reason="no paying")

    with pytest.warns(UserWarning, match="'pay'"):  # told, as it may be a typo
        app = graphs.guard_graph(create_agent(_model(), [lookup], middleware=[RuntimeTools()]), [never_pay])
    out = app.invoke({"messages": [("user", "pay")]})
    assert paid == []
    assert any("denied by guard 'never_pay'" in str(m.content) for m in out["messages"])
