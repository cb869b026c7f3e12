"""`@guard(inline=...)` of the wrong kind is read by truth, and a guard meant to have a deadline runs without one.

`FunctionGuard` stores `inline` as given, and the chain reads it by truth (`GuardChain._budget`,
`check_budgets`): `@guard(inline="no", timeout_s=0.1)` is an inline guard, run in the caller's thread with no
deadline, its `timeout_s` never used (nor checked). A guard that hangs then hangs the call instead of being
denied at its budget (the house rule: a guard that hangs denies). `PrivacyGuard(inline="no")` and
`effect(idempotent="no")` are refused already for the same slip.

What must hold: a guard's `inline` is True or False, refused otherwise where it is given (a `TypeError`
naming `inline`); `inline=False` keeps the budget, so a slow guard is denied at it.

Fixed: @guard's inline must be a bool (TypeError) and its tools an iterable of text, read once.
"""

from __future__ import annotations

import time

import pytest

from vfa import ALLOW, GuardChain, GuardContext, Proposal, guard


def _slow(proposal, context):
    time.sleep(0.5)
    return ALLOW


@pytest.mark.parametrize("bad", ["no", "false", None, 0, 1])
def test_inline_of_the_wrong_kind_is_refused(bad):
    with pytest.raises(TypeError, match="inline"):
        guard(_slow, inline=bad, timeout_s=0.05)
    with pytest.raises(TypeError, match="inline"):
        guard(inline=bad)(_slow)


def test_a_guard_not_inline_is_denied_at_its_budget():
    chain = GuardChain([guard(_slow, inline=False, timeout_s=0.05)])
    result = chain.verify(Proposal(call_id="c1", tool="pay", args={}), GuardContext())
    assert result.verdict.kind == "deny"


def test_an_inline_guard_still_runs_inline():
    assert guard(_slow, inline=True).inline is True


@pytest.mark.parametrize("bad", [5, [1], ["pay", None]])
def test_tools_of_the_wrong_kind_are_refused_naming_tools(bad):
    # else "'int' object is not iterable", naming nothing, or a scope no tool name is in
    with pytest.raises(TypeError, match="tools"):
        guard(_slow, tools=bad)
