"""Leftover settings that take any kind and fail late or read wrongly.

- `PrivacyFlow(handles="no")` builds with handles on ("no" is true); `PrivacyGuard(inline="no")` is refused.
- `configure_tracing(service_name=1)` builds a provider whose service is not named 1 (the SDK drops a
  resource attribute that is no text, with a log line): refused as a path that names no file is.
- `graphs.check_coverage(graph, read_only="search")` reads the text as its letters (a tool named "s" would be
  read-only, "search" is not); `ToolGate(read_only="search")` is refused with a ConfigError.
- A guard object (the `Guard` protocol: any object with `check`) whose `timeout_s` is a text is taken by
  `GuardChain`; the first call then raises "unsupported operand type(s) for +: 'float' and 'str'" out of
  `verify`, so the guard node crashes instead of denying. The chain must refuse it where it is built.

Fixed: each is refused where given; a chain checks its guards' budgets, and a tool its own guards'
(`vfa._guard.check_budgets`), since a tool's guards join the chain at each call.
"""

from __future__ import annotations

import math
import time

import pytest
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from guards import PrivacyFlow
from vfa import (
    ALLOW,
    ConfigError,
    CoverageError,
    GuardChain,
    GuardContext,
    Proposal,
    VfaError,
    _tracing,
    configure_tracing,
)


@pytest.mark.parametrize("bad", ["no", None, 0])
def test_a_flows_handles_flag_is_true_or_false(bad):
    with pytest.raises(TypeError, match="handles"):
        PrivacyFlow(handles=bad, secret=b"k")


@pytest.mark.parametrize("bad", [1, b"svc", ["svc"]])
def test_a_service_name_is_text(bad):
    with pytest.raises(ConfigError, match="service_name"):
        configure_tracing(None, service_name=bad, set_global=False)


@pytest.mark.parametrize("bad", ["no", 0, 1])
def test_otlp_is_true_false_or_none(bad):
    with pytest.raises(ConfigError, match="otlp"):
        configure_tracing(None, otlp=bad, set_global=False)


def test_a_text_service_name_still_names_the_service():
    provider = configure_tracing(None, service_name="billing", set_global=False)
    try:
        assert provider.resource.attributes["service.name"] == "billing"
    finally:
        provider.shutdown()
        _tracing.use_tracer_provider(None)  # vfa sends its spans to the provider it configured last


@tool
def search(q: str) -> str:
    """Search."""
    return q


def _graph():
    b = StateGraph(MessagesState)
    b.add_node("tools", ToolNode([search]))
    b.add_edge(START, "tools")
    return b.compile()


def test_coverage_read_only_as_one_text_is_refused():
    with pytest.raises(ConfigError, match="read_only must be a list") as refused:
        graphs.check_coverage(_graph(), read_only="search")
    assert not isinstance(refused.value, CoverageError)  # refused as misuse, not judged on the letters
    graphs.check_coverage(_graph(), read_only=["search"])  # the list reads as the tool it names


class _Budgeted:
    name = "budgeted"
    tools = None

    def __init__(self, timeout_s):
        self.timeout_s = timeout_s

    def check(self, proposal, context):
        return ALLOW


@pytest.mark.parametrize("bad", ["1", math.nan, -1, True])
def test_a_chain_refuses_a_guard_whose_budget_is_no_number(bad):
    with pytest.raises(VfaError, match="timeout_s"):
        GuardChain([_Budgeted(bad)])


def test_a_guard_with_a_good_budget_still_runs():
    p = Proposal(call_id="c1", tool="t", args={})
    assert GuardChain([_Budgeted(0.5), _Budgeted(None)]).verify(p, GuardContext()).verdict == ALLOW


@pytest.mark.parametrize("bad", ["1", math.nan])
def test_a_tool_refuses_a_guard_of_its_own_whose_budget_is_no_number(bad):
    # a tool's own guards join the chain at each call, past the chain's check where it was built
    from vfa import Agent, effect
    from vfa.testing import ScriptedModel

    @effect(guards=[_Budgeted(bad)])
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    with pytest.raises(ConfigError, match="budgeted.*timeout_s"):
        Agent(ScriptedModel(["done"]), [pay])


def test_a_numpy_budget_is_a_number_of_seconds():
    import numpy as np

    class _Slow(_Budgeted):
        def check(self, proposal, context):
            time.sleep(0.05)  # the caller waits on the budget (a numpy float32 there raised in the wait)
            return ALLOW

    p = Proposal(call_id="c1", tool="t", args={})
    chain = GuardChain([_Slow(np.float32(5)), _Slow(np.int64(5)), _Slow(None)], timeout_s=np.float32(5))
    assert chain.verify(p, GuardContext()).verdict == ALLOW
    with pytest.raises(ConfigError, match="timeout_s"):
        GuardChain([_Budgeted(np.float32("nan"))])
