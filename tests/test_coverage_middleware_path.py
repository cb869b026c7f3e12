"""A create_agent whose tool calls pass a middleware of the app's own beside its GuardMiddleware (one that
may run a tool itself, a cache or a fast path) is not taken for guarded by the coverage check: only
LangChain's own middlewares may stand beside the gate (red team 51)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import ToolMessage
from test_coverage_agents_in_tools import budget, pay

import graphs
from graphs import GuardMiddleware
from vfa import CoverageError
from vfa.testing import ScriptedModel


class FastPath(AgentMiddleware):
    """Runs `pay` itself (e.g. from a local queue), handing every other call on."""

    def wrap_tool_call(self, request: Any, handler: Any) -> Any:
        if request.tool_call["name"] == "pay":
            out = request.tool.invoke(request.tool_call["args"])
            return ToolMessage(str(out), tool_call_id=request.tool_call["id"], name="pay")
        return handler(request)


def test_outer_middleware_bypassing_the_gate_is_named() -> None:
    model = ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"])
    agent = create_agent(model, [pay], middleware=[FastPath(), GuardMiddleware([budget])])
    with pytest.raises(CoverageError):  # else it would pay past the budget guard
        graphs.check_coverage(agent)
