"""A guard node's `lock_wait_s` set to `math.inf`, NaN, a text or a negative number makes every call raise
out of `invoke`, even with no other call holding the lock.

README: "A call waits for its thread's lock at most `lock_wait_s` seconds (a guard node's attribute, 60 by
default), then is denied (`ThreadBusy` ...): never a hang." The attribute is handed to `Lock.acquire(timeout=)`
unchecked: `agent.guard_node.lock_wait_s = math.inf` (the natural "no limit"; the guard budgets accept inf)
crashes the first call with `OverflowError: timestamp out of range for platform time_t`; NaN, "5" and -2
raise `ValueError`/`TypeError` from `threading`, naming nothing of vfa; -1 would block for ever instead of
denying. A budget of no use must be refused where it is set (as `timeout_s` is: `ConfigError` naming it), and
inf must mean "no bound", as None does.

Fixed: `lock_wait_s` is a checked property (`ConfigError` naming it); a wait past what a lock can time is no bound.
"""

from __future__ import annotations

import math

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vfa import Agent, VfaError, effect
from vfa.testing import ScriptedModel

PAID: list[int] = []


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    PAID.append(amount)
    return "paid"


def _run(agent: Agent) -> None:
    app = agent.compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})


@pytest.mark.parametrize("bad", [math.nan, "5", -2, -1, True], ids=["nan", "text", "-2", "-1", "bool"])
def test_a_lock_wait_of_no_use_is_refused_where_it_is_set(bad):
    agent = Agent(ScriptedModel([("pay", {"to": "a", "amount": 5}), "ok"]), [pay])
    with pytest.raises((TypeError, ValueError, VfaError), match="lock_wait_s"):
        agent.guard_node.lock_wait_s = bad


@pytest.mark.parametrize("wait", [math.inf, 1e300, None, 0.5, 0], ids=["inf", "1e300", "None", "half", "zero"])
def test_a_long_or_unbounded_lock_wait_runs_the_call(wait):
    PAID.clear()
    agent = Agent(ScriptedModel([("pay", {"to": "a", "amount": 5}), "ok"]), [pay])
    agent.guard_node.lock_wait_s = wait
    _run(agent)
    assert PAID == [5]
