"""The plan's steps run under the agent's guard chain's settings, also ones set after the graph is built.

What must hold (`graphs.plan_execute._PlanSteps`: the agent's node "its settings (read from it, so one changed
later, `lock_wait_s` say, holds here too)"; README: a guard that overruns its time budget denies, and a
warm-up is waited for up to `GuardChain.warm_timeout_s`): a plan's step is judged under the time budget
(`timeout_s`) and the warm-up wait (`warm_timeout_s`) of the agent's own chain, as the agent's own graph
judges the same call; a budget tightened on `agent.guard_node.chain` holds for the plan's steps too.

Seen at 5488599: `_PlanSteps` copied the chain's `timeout_s` when the plan graph was built and took the default
`warm_timeout_s` (120 s): with the agent's chain at `timeout_s=0.05`, a guard taking 0.3 s was denied in
the agent's graph and allowed (the transfer committed) at the plan's step; a warm-up wait of 0.1 s set on
the agent's chain was ignored (the step waited for a 1 s warm-up and committed).

Fixed: the plan's chain (_PlanChain) reads the agent chain's timeout_s and warm_timeout_s at each call.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import ALLOW, Agent, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int


class Slow:
    """A guard slow to check (`check_s`) or to warm up (`warm_s`)."""

    name = "slow"

    def __init__(self, check_s: float = 0.0, warm_s: float = 0.0) -> None:
        self.check_s, self.warm_s = check_s, warm_s

    def warm(self) -> None:
        time.sleep(self.warm_s)

    def check(self, proposal: Any, context: Any) -> Any:
        time.sleep(self.check_s)
        return ALLOW


def _run(guard: Slow, setting: str, value: float, after: bool) -> list[str]:
    world, committed = Bank(balance=1000), []
    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        committed.append(to)
        return "sent"

    agent = Agent(ScriptedModel([[("transfer", {"to": "alice", "amount": 10})], "done"]), [transfer],
                  world=lambda: world, guards=[guard])
    if not after:
        setattr(agent.guard_node.chain, setting, value)
    builder = plan_execute(agent, max_replans=0)
    if after:
        setattr(agent.guard_node.chain, setting, value)
    app = builder.compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "pay alice")]}, {"configurable": {"thread_id": "t"}})
    return committed


@pytest.mark.parametrize("after", [False, True])
def test_a_guard_over_the_agents_time_budget_denies_the_plans_step(after: bool) -> None:
    assert _run(Slow(check_s=0.3), "timeout_s", 0.05, after) == []


@pytest.mark.parametrize("after", [False, True])
def test_a_warm_up_past_the_agents_wait_denies_the_plans_step(after: bool) -> None:
    assert _run(Slow(warm_s=1.0), "warm_timeout_s", 0.1, after) == []


def test_within_the_budgets_the_step_commits() -> None:
    assert _run(Slow(check_s=0.01), "timeout_s", 1.0, True) == ["alice"]
