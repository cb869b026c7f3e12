"""`vfa.testing.check_guard` checks the guard it is given, on every path the chain judges it by.

It promised (its docstring, STYLE.md section 5) to raise AssertionError "when two runs disagree, or when the
chain does not turn a crash or a hang of the guard into a deny", but its crash and hang probes were plain sync
`FunctionGuard`s with a budget of their own (the hang one called `g.check`, absent on a guard with only
`acheck`), whatever the guard was: they checked the chain's machinery, never the guard. And it ran the guard by
`verify` alone. So it passed:

- a guard whose `acheck` (what the chain uses under `ainvoke`) disagrees with its `check`: one call judged two
  ways, by how the agent was invoked;
- a guard whose `tools` leave the proposal's tool out: the chain never ran it, and check_guard returned an
  allow no guard gave.

What must hold: each of these raises AssertionError naming the problem; a sound sync guard, a sound guard with
only `acheck`, a sound guard with both, and an inline guard (no deadline: its crash alone is probed) still pass and
return their verdict.

Fixed: check_guard judges by averify too when the guard has acheck, refuses a guard that judges no call of the
tool, and probes a crash and hang of the guard's kind on each path (an inline guard: its crash alone).
"""

from __future__ import annotations

import pytest

from vfa import ALLOW, Deny, Proposal, guard
from vfa.testing import check_guard

P = Proposal(call_id="c1", tool="transfer", args={"to": "bob", "amount": 5}, thread_id="t")


class _TwoFaced:
    name = "two_faced"

    def check(self, proposal, context):
        return Deny(reason="over the limit")

    async def acheck(self, proposal, context):  # what an async caller (ainvoke) is judged by
        return ALLOW


class _Inline:
    name = "inline_one"
    inline = True

    def check(self, proposal, context):
        return ALLOW


class _AsyncOnly:
    name = "async_only"

    async def acheck(self, proposal, context):
        return Deny(reason="no")


class _Both:
    name = "both"

    def check(self, proposal, context):
        return Deny(reason="no")

    async def acheck(self, proposal, context):
        return Deny(reason="no")


def test_a_guard_whose_acheck_disagrees_with_its_check_fails() -> None:
    with pytest.raises(AssertionError, match="two_faced"):
        check_guard(_TwoFaced(), P)


def test_an_inline_guard_passes_its_crash_alone_probed() -> None:
    assert check_guard(_Inline(), P).kind == "allow"


def test_a_guard_that_does_not_judge_the_tool_fails() -> None:
    @guard(tools=["refund"])
    def refunds_only(p, c):
        return Deny(reason="never")

    with pytest.raises(AssertionError, match="refunds_only"):
        check_guard(refunds_only, P)


def test_sound_guards_still_pass() -> None:
    @guard
    def sync_allow(p, c):
        return ALLOW

    @guard
    async def async_deny(p, c):
        return Deny(reason="no")

    assert check_guard(sync_allow, P).kind == "allow"
    assert check_guard(async_deny, P).kind == "deny"
    assert check_guard(_AsyncOnly(), P).kind == "deny"
    assert check_guard(_Both(), P).kind == "deny"
