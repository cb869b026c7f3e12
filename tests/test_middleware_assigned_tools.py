"""A tool a later middleware assigns to the request is gated too; two gates in one agent stop (red team 42)."""

from __future__ import annotations

import warnings

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from test_middleware_tools import _model, _pay, budget

from graphs import GuardMiddleware


def test_a_tool_a_later_middleware_assigns_to_the_request_is_verified():
    paid: list[int] = []
    pay = _pay(paid)

    @tool
    def lookup(q: str) -> str:
        """Look up."""
        return "ok"

    class RuntimeTools(AgentMiddleware):  # the pre-`override()` way, still honoured (a DeprecationWarning)
        def wrap_model_call(self, request, handler):
            return handler(request.override(tools=[*request.tools, pay]))

        def wrap_tool_call(self, request, handler):
            if request.tool_call["name"] == "pay":
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    request.tool = pay
            return handler(request)

    vfa = GuardMiddleware([budget])
    agent = create_agent(_model(), [lookup], middleware=[vfa, RuntimeTools()], checkpointer=InMemorySaver())
    agent.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert paid == []


def test_two_guard_middlewares_in_one_agent_stop_with_a_config_error():
    import pytest

    from vfa import ConfigError

    class PaymentGuards(GuardMiddleware):  # a second set of guards (create_agent wants distinct names)
        name = property(lambda self: "vfa-payments")

    paid: list[int] = []
    agent = create_agent(_model(), [_pay(paid)], middleware=[GuardMiddleware([budget]), PaymentGuards([budget])],
                         checkpointer=InMemorySaver())
    with pytest.raises(ConfigError, match="already gated by another vfa gate"):
        agent.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert paid == []
