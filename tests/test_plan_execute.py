"""The plan-then-execute graph: a plan is verified before step one, then run step by step through the guard node."""

from __future__ import annotations

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import Agent, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int = 0
    payees: set[str] = set()


def setup(script: list, world: Bank):
    bank = Policy(Bank)
    committed: list[tuple[str, dict]] = []

    @effect
    @bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today",
                   "to in state.payees or amount <= 100")
    @bank.ensures("state.balance -= amount", "state.spent_today += amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        world.spent_today += amount
        committed.append(("transfer", {"to": to, "amount": amount}))
        return f"sent {amount} to {to}"

    @effect
    @bank.requires("len(name) > 0")
    @bank.ensures("state.payees |= {name}")
    def add_payee(name: str) -> str:
        """Add a payee."""
        world.payees.add(name)
        committed.append(("add_payee", {"name": name}))
        return f"added {name}"

    agent = Agent(ScriptedModel(script), [transfer, add_payee], world=lambda: world)
    app = plan_execute(agent, max_replans=1).compile(checkpointer=InMemorySaver())
    return app, committed


BAD_PLAN = [("transfer", {"to": "alice", "amount": 300}), ("add_payee", {"name": "bob"}),
            ("transfer", {"to": "bob", "amount": 250})]
GOOD_PLAN = [("transfer", {"to": "alice", "amount": 300}), ("add_payee", {"name": "bob"}),
             ("transfer", {"to": "bob", "amount": 150})]


def run(app, thread: str):
    return app.invoke({"messages": [("user", "pay alice, then bob")]}, {"configurable": {"thread_id": thread}})


def test_a_plan_failing_at_step_3_is_rejected_before_step_1_and_the_model_replans() -> None:
    world = Bank(balance=1000, daily_limit=500, payees={"alice"})
    app, committed = setup([BAD_PLAN, GOOD_PLAN[:2] + [("transfer", {"to": "bob", "amount": 150})], "done"], world)
    out = run(app, "t1")
    rejected = [m for m in out["messages"] if isinstance(m, ToolMessage) and "plan rejected" in m.content]
    assert len(rejected) == 3 and "step 3 of 3 (transfer)" in rejected[0].content
    assert rejected[0].artifact["verdict"]["evidence"]["failed_step"] == 2
    # nothing of the bad plan ran; the good plan ran in order, each step through the guard node
    assert committed == [("transfer", {"to": "alice", "amount": 300}), ("add_payee", {"name": "bob"}),
                         ("transfer", {"to": "bob", "amount": 150})]
    assert (world.balance, world.spent_today) == (550, 450)
    assert out["messages"][-1].content == "done"


def test_replans_are_bounded() -> None:
    world = Bank(balance=1000, daily_limit=500, payees={"alice"})
    app, committed = setup([BAD_PLAN, BAD_PLAN, BAD_PLAN, "never reached"], world)
    out = run(app, "t2")
    assert committed == [] and world.balance == 1000
    assert sum(isinstance(m, ToolMessage) for m in out["messages"]) == 6  # two rejected plans, then the run ends
