"""A time budget or argument limit of the wrong kind is accepted, and fails at the first call.

`guard(timeout_s="1")`, `GuardChain(timeout_s="1")`, `Agent(guard_timeout_s="1")` and `Agent(max_arg_bytes="64")`
build and compile; the first call then raises a bare `TypeError` out of `invoke` ("unsupported operand type(s)
for +: 'float' and 'str'", "'>' not supported between instances of 'int' and 'str'"), naming no argument.
A budget of NaN, zero or below denies every call as "no guard worker became free within nan s (all are busy
with earlier checks)", which sends the developer hunting a load that is not there. Each must be refused where
it is given (a `TypeError` or `ValueError` naming the argument); None stays "inline" as documented.

Fixed: `FunctionGuard`, `GuardChain` and `GuardNode` raise `ConfigError` at construction for a budget or
limit that is no positive number (None: inline; inf allowed).
"""

from __future__ import annotations

import math

import pytest

from vfa import ALLOW, Agent, GuardChain, GuardNode, VfaError, guard
from vfa.testing import ScriptedModel


def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return "paid"


BAD_SECONDS = ["1", math.nan, -1, 0, True]


@pytest.mark.parametrize("bad", BAD_SECONDS)
def test_a_guards_budget_must_be_a_positive_number(bad):
    with pytest.raises((TypeError, ValueError, VfaError), match="timeout_s"):
        guard(lambda p, c: ALLOW, name="budget", timeout_s=bad)


@pytest.mark.parametrize("bad", BAD_SECONDS)
def test_a_chains_default_budget_must_be_a_positive_number(bad):
    with pytest.raises((TypeError, ValueError, VfaError), match="timeout_s"):
        GuardChain([], timeout_s=bad)


@pytest.mark.parametrize("bad", BAD_SECONDS)
def test_an_agents_guard_budget_must_be_a_positive_number(bad):
    with pytest.raises((TypeError, ValueError, VfaError), match="timeout_s"):
        Agent(ScriptedModel([]), [pay], guard_timeout_s=bad)


@pytest.mark.parametrize("bad", ["64", -1, 1.5, math.inf, True])
def test_the_argument_limit_must_be_a_positive_whole_number(bad):
    with pytest.raises((TypeError, ValueError, VfaError), match="max_arg_bytes"):
        GuardNode([pay], max_arg_bytes=bad)


def test_good_budgets_still_build():
    guard(lambda p, c: ALLOW, name="a", timeout_s=0.5)
    guard(lambda p, c: ALLOW, name="b", timeout_s=None)
    GuardChain([], timeout_s=None)
    GuardChain([], timeout_s=math.inf)
    GuardNode([pay], timeout_s=2, max_arg_bytes=1024)
