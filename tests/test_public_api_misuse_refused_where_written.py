"""Misuse accepted where it is written, failing (or denying every call with a misleading reason) at first use.

docs/kernel.md "What you get": "A guard's `tools` ... are a list of names: a string is refused (`ConfigError`)"; so are
the names of a privacy declaration and a policy's grants and `trusted_sources` ("one text would be read as its
letters"). The same mistake elsewhere is accepted:

- `guards="budget"` (a text where the list of guards belongs) for `Agent`, `GuardChain`, `graphs.ToolGate`,
  `graphs.GuardMiddleware`, `graphs.guard_tool`, `@effect(guards=...)`, `annotate(guards=...)`: each letter
  becomes a guard, and every call is denied "by guard 'str': 'b' has neither check() nor acheck()";
- `read_only="search"` for `ToolGate`, `GuardMiddleware`, `guard_graph`: read as its letters, so the tool named
  is silently not read-only;
- `vfa.guard("x")` (no function): every call is denied "'str' object is not callable";
- `@effect(name=1)`: `invoke` then raises `TypeError: sequence item 0: expected str instance, int found`
  out of the guard node (a crash, not a denial);
- `PrivacyFlow(max_threads=math.nan)`: the first labelled call raises `ValueError` from `islice` out of `invoke`;
  `max_threads=1.5` is accepted as a thread count;
- `requires(..., backend="z3", timeout_ms=math.nan)`: every call denied "no guard worker became free within nan s
  (all are busy ...)" (the message `tests/test_config_budget_of_the_wrong_kind_refused.py` removed for
  `timeout_s`); `timeout_ms=math.inf` denies every call with an `OverflowError`; `timeout_ms="2s"` raises
  "unsupported operand type(s) for /: 'str' and 'int'", naming nothing;
- `Agent(model, (t for t in tools))`: "object of type 'generator' has no len()" (an iterable of tools, as
  `GuardChain` takes one of guards: built with its tools, or refused naming `tools`).

And a wrong kind refused with a message naming no argument: `privacy_sink(authority=None)`,
`privacy_source(private=None)` and `trace_from_messages(msgs, structured=None)` all say only
"'NoneType' object is not iterable".

Each must be refused where it is given, with a `TypeError`, `ValueError` or `VfaError` naming the argument.

Fixed: each is refused where it is written, naming the argument; `Agent` takes its tools from any iterable.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from langchain_core.tools import tool
from pydantic import BaseModel

import graphs
import guards
from vfa import ALLOW, Agent, GuardChain, VfaError, annotate, effect, guard
from vfa.testing import ScriptedModel


def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return "paid"


@tool
def search(q: str) -> str:
    """Search."""
    return q


class Account(BaseModel):
    balance: int


def _requires(timeout_ms: Any) -> Any:
    return guards.requires("0 < amount <= state.balance", state=Account, backend="z3", timeout_ms=timeout_ms)(pay)


POLICY = guards.PrivacyPolicy.of("emma@home.example")

LATE: dict[str, tuple[str, Any]] = {
    "Agent(guards='budget')": ("guards", lambda: Agent(ScriptedModel([]), [pay], "budget")),
    "GuardChain('budget')": ("guards", lambda: GuardChain("budget")),
    "ToolGate('budget')": ("guards", lambda: graphs.ToolGate("budget")),
    "GuardMiddleware('budget')": ("guards", lambda: graphs.GuardMiddleware("budget")),
    "guard_tool(search, 'budget')": ("guards", lambda: graphs.guard_tool(search, "budget")),
    "effect(guards='budget')": ("guards", lambda: effect(pay, guards="budget")),
    "annotate(guards='budget')": ("guards", lambda: annotate(pay, guards="budget")),
    "ToolGate(read_only='search')": ("read_only", lambda: graphs.ToolGate(read_only="search")),
    "GuardMiddleware(read_only='search')": ("read_only", lambda: graphs.GuardMiddleware(read_only="search")),
    "guard('x')": ("guard", lambda: guard("x")),
    "effect(name=1)": ("name", lambda: effect(pay, name=1)),
    "guard(name=1)": ("name", lambda: guard(lambda p, c: ALLOW, name=1)),
    "PrivacyFlow(max_threads=nan)": ("max_threads", lambda: guards.PrivacyFlow(POLICY, max_threads=math.nan)),
    "PrivacyFlow(max_threads=1.5)": ("max_threads", lambda: guards.PrivacyFlow(POLICY, max_threads=1.5)),
    "requires(timeout_ms=nan)": ("timeout_ms", lambda: _requires(math.nan)),
    "requires(timeout_ms=inf)": ("timeout_ms", lambda: _requires(math.inf)),
    "requires(timeout_ms='2s')": ("timeout_ms", lambda: _requires("2s")),
    "requires(timeout_ms=-1)": ("timeout_ms", lambda: _requires(-1)),
    "privacy_sink(authority=None)": ("authority", lambda: guards.privacy_sink(authority=None)(pay)),
    "privacy_source(private=None)": ("private", lambda: guards.privacy_source(private=None)(pay)),
    "trace_from_messages(structured=None)": ("structured", lambda: guards.trace_from_messages([], structured=None)),
}


@pytest.mark.parametrize("call", list(LATE), ids=list(LATE))
def test_misuse_is_refused_where_it_is_written_naming_the_argument(call):
    names, make = LATE[call]
    with pytest.raises((TypeError, ValueError, VfaError)) as caught:
        make()
    assert not isinstance(caught.value, AttributeError)
    assert names in str(caught.value), f"{call}: {caught.value}"


def test_an_agent_given_its_tools_by_a_generator_builds_with_them_or_names_tools():
    try:
        agent = Agent(ScriptedModel([]), (t for t in [pay]))
    except (TypeError, ValueError, VfaError) as exc:
        assert "tools" in str(exc), exc
        return
    assert list(agent.guard_node.specs) == ["pay"]


def test_what_is_documented_still_builds():
    Agent(ScriptedModel([]), [pay], [guard(lambda p, c: ALLOW, name="ok")])
    GuardChain(g for g in [guard(lambda p, c: ALLOW, name="ok")])  # an iterable of guards is fine
    graphs.ToolGate(read_only=["search"])
    guards.PrivacyFlow(POLICY, max_threads=10)
    _requires(500)
