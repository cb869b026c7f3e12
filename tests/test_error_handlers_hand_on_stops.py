"""The lowest langchain / langgraph-prebuilt that pyproject allowed swallowed vfa's refusals.

vfa stops a run it must not go on with (`CallInFlightError`, `AnswerError`, a journal's failure, a set-up
`ConfigError`/`PolicyError` met at a call) by raising the error as LangGraph's `GraphBubbleUp` too, and
relies on LangChain's error handlers to hand that on: docs/kernel.md says "`ToolRetryMiddleware`,
`ModelRetryMiddleware`, `ToolErrorMiddleware` and a ToolNode's `handle_tool_errors` hand it on, never save it
as the call's failure". That holds only from langchain 1.3.15 (ToolRetryMiddleware from 1.3.12,
ToolErrorMiddleware exists from 1.3.14, ModelRetryMiddleware from 1.3.15) and langgraph-prebuilt 1.1.1 (a
ToolNode with a `wrap_tool_call` and `handle_tool_errors=True`). pyproject allowed langchain 1.3 and
langgraph-prebuilt 1.1: there, a replica resuming a thread another is inside was told "the call failed" and
paid again (tests/test_gate_refusals_through_error_handlers.py), a set-up error became the model's answer
(tests/test_middleware_setup_error_not_retried.py), and tests/test_gate_refusals_through_error_handlers.py
did not even import (no ToolErrorMiddleware).

Must hold, on every version pyproject allows: each of those handlers re-raises a vfa refusal raised under
it, once, untouched (its type and message kept), and saves nothing.

Fixed: pyproject asks for langchain>=1.3.15 and langgraph-prebuilt>=1.1.1, the first whose handlers hand
GraphBubbleUp on.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pytest
from langchain.agents import middleware as lc_middleware
from langchain.agents.middleware import ModelRequest, ToolRetryMiddleware
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.errors import GraphBubbleUp
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest

from graphs._gate import _stopping
from vfa import CallInFlightError
from vfa.testing import ScriptedModel

CALL = {"name": "pay", "args": {"amount": 90}, "id": "p1", "type": "tool_call"}


def _refusal() -> BaseException:
    return _stopping(CallInFlightError("call 'p1' of 'pay' on thread 't' is being run by another process"))


def _raising(calls: list[Any]):
    def handler(request: Any) -> Any:
        calls.append(request)
        raise _refusal()
    return handler


def _tool_request() -> ToolCallRequest:
    return ToolCallRequest(tool_call=CALL, tool=None, state={}, runtime=None)  # type: ignore[arg-type]


def _assert_handed_on(run, calls: list[Any]) -> None:
    with pytest.raises(CallInFlightError, match="is being run by another process") as info:
        run()
    assert isinstance(info.value, GraphBubbleUp)
    assert len(calls) == 1, f"retried {len(calls) - 1} time(s)"


def test_tool_retry_middleware_hands_a_refusal_on() -> None:
    calls: list[Any] = []
    mw = ToolRetryMiddleware(max_retries=2, initial_delay=0)
    _assert_handed_on(lambda: mw.wrap_tool_call(_tool_request(), _raising(calls)), calls)


def test_tool_error_middleware_exists_and_hands_a_refusal_on() -> None:
    handler_cls = getattr(lc_middleware, "ToolErrorMiddleware", None)
    assert handler_cls is not None, f"langchain {version('langchain')} has no ToolErrorMiddleware (docs/kernel.md names it)"
    calls: list[Any] = []
    mw = handler_cls(lambda exc, request: f"failed: {type(exc).__name__}")
    _assert_handed_on(lambda: mw.wrap_tool_call(_tool_request(), _raising(calls)), calls)


def test_model_retry_middleware_hands_a_refusal_on() -> None:
    calls: list[Any] = []
    mw = lc_middleware.ModelRetryMiddleware(max_retries=2, initial_delay=0)
    request = ModelRequest(model=ScriptedModel(rule=lambda ms: "hi"), messages=[])
    _assert_handed_on(lambda: mw.wrap_model_call(request, _raising(calls)), calls)


def test_a_tool_node_handling_tool_errors_hands_a_refusal_from_its_wrapper_on() -> None:
    @tool
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    calls: list[Any] = []
    node = ToolNode([pay], handle_tool_errors=True, wrap_tool_call=lambda request, execute: _raising(calls)(request))
    app = StateGraph(MessagesState).add_node("tools", node).add_edge(START, "tools").compile()
    msg = AIMessage(content="", tool_calls=[CALL])
    _assert_handed_on(lambda: app.invoke({"messages": [msg]}), calls)
