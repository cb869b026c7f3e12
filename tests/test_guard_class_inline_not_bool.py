"""A guard class's `inline` that is not True or False is refused when the chain is built, as `@vfa.guard` refuses it.

What must hold (README: "a guard whose author vouches that it is pure and bounded can say `inline=True`"; house
rule: a guard that hangs denies): `inline` is read by truth, so a guard class whose `inline` is a text ("no",
"false", as read from a setting) or a number ran in the caller's thread with no deadline, and a hang of its check
hung the call instead of denying it at its `timeout_s`. `FunctionGuard` already refuses such a value ("read by
truth: 'no' would run it with no deadline"); a guard written as a class, the Guard protocol's own form, must be
held to the same: refused at set-up (`TypeError` or `ConfigError`, naming the guard and `inline`).

Fixed: a guard whose inline is not True or False is refused with a TypeError naming it and inline, chain
guards and a tool's own.
"""

from __future__ import annotations

import time

import pytest

from vfa import ALLOW, ConfigError, GuardChain, GuardContext, Proposal


class SlowCheck:
    name = "slow_check"
    timeout_s = 0.1

    def __init__(self, inline: object) -> None:
        self.inline = inline

    def check(self, proposal: Proposal, context: GuardContext) -> object:
        time.sleep(1.0)  # a hang, as far as a 0.1 s budget goes
        return ALLOW


@pytest.mark.parametrize("inline", ["no", "false", 1])
def test_a_guard_class_inline_that_is_not_a_bool_is_refused(inline: object) -> None:
    with pytest.raises((TypeError, ConfigError), match=r"slow_check.*inline"):
        GuardChain([SlowCheck(inline)])


def test_a_guard_class_inline_false_keeps_its_deadline() -> None:
    chain = GuardChain([SlowCheck(False)])
    started = time.monotonic()
    result = chain.verify(Proposal(call_id="c1", tool="pay", args={}), GuardContext())
    assert result.verdict.kind == "deny" and time.monotonic() - started < 0.9
