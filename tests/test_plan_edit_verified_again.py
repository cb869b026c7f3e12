"""A step a person edits at an interrupt is verified again with the rest of the plan before it commits.

`graphs.plan_execute` verifies the model's plan once, then runs it through the agent's guard node. When a
guard asks a person about a step and the person edits it, the node checks the edited call on its own
(its guards, the concrete state) and commits it; the plan the rest of the steps was verified under is
gone. Here a plan of three transfers of 100 within a daily limit of 500 is verified; the person raises
the second to 400, which fits on its own, commits, and the third is then denied by its precondition at
run time: the plan stops halfway, after two commits, which whole-plan verification exists to prevent.

What must hold: an edited step is not committed unless the plan as edited (the edited step and the steps
after it, from the current world) verifies; here the edit is refused and only the first transfer is
committed.

Fixed: plan_execute runs its steps through the agent's node with one more guard, verify_plan, which lets a
step as the plan proposed it pass and verifies the plan as edited before an edited step commits.
"""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import ALLOW, Agent, Escalate, FunctionGuard, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int = 0


def test_an_edit_that_breaks_the_rest_of_the_plan_is_not_committed() -> None:
    world = Bank(balance=1000, daily_limit=500)
    bank = Policy(Bank)
    committed: list[tuple[str, int]] = []

    @effect
    @bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today")
    @bank.ensures("state.balance -= amount", "state.spent_today += amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        world.spent_today += amount
        committed.append((to, amount))
        return f"sent {amount} to {to}"

    ask = FunctionGuard(lambda p, ctx: Escalate(question="pay bob?") if p.args.get("to") == "bob" else ALLOW,
                        name="ask")
    plan = [("transfer", {"to": "alice", "amount": 100}), ("transfer", {"to": "bob", "amount": 100}),
            ("transfer", {"to": "carol", "amount": 100})]
    agent = Agent(ScriptedModel([plan, "done"]), [transfer], world=lambda: world, guards=[ask])
    app = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "pay all three")]}, cfg)
    answer = {"type": "edit", "args": {"to": "bob", "amount": 400}}
    for _ in range(4):  # the edit, then approvals of the edited call if it is asked about again
        if not out.get("__interrupt__"):
            break
        q = out["__interrupt__"][0]
        out = app.invoke(Command(resume={q.id: answer}), cfg)
        answer = {"type": "approve"}
    assert committed == [("alice", 100)], committed
