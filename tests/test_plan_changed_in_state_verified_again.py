"""A plan a person edits in the graph's state (at an `interrupt_before=["tools"]`) is verified again.

What must hold (graphs.plan_execute's module docstring; README "`verify_plan` proves a whole plan before step
one"): the steps `plan_execute` runs are a plan `verify_plan` proved. LangGraph's way to let a person review a
plan is to pause before the node that runs it and let them change the state (`update_state` with the plan's
message, same id). A plan changed so is held to the same rule as a step a person edits at a question: it runs
only if it verifies, else it is refused before any of it commits.

Seen at 5488599: `edited_step` compares each step with the plan message *in the state*, so the changed plan's
steps pass as "the model's own, verified with its plan"; step 1 (300 to alice) committed, step 2 (300 to bob,
over the daily limit of 500) was denied by the tool's precondition at run time: a plan stopped halfway.

Fixed: check_plan keeps the verified plan's digest in the state (verified_plan); a step passes as planned only
while it matches, else the plan as it stands is verified.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import PLAN_GUARD, plan_execute
from guards import Policy
from vfa import Agent, effect
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class Bank(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int = 0


def _app(world: Bank, committed: list[tuple[str, int]]):
    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today")
    @bank.ensures("state.balance -= amount", "state.spent_today += amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        world.spent_today += amount
        committed.append((to, amount))
        return f"sent {amount} to {to}"

    plan = [("transfer", {"to": "alice", "amount": 100}), ("transfer", {"to": "bob", "amount": 100})]
    agent = Agent(ScriptedModel([plan, "done"]), [transfer], world=lambda: world)
    return plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver(), interrupt_before=["tools"])


def _edit_plan(app, amounts: list[int]) -> list[str]:
    plan = next(m for m in reversed(app.get_state(CFG).values["messages"]) if isinstance(m, AIMessage))
    calls = [{**c, "args": {**c["args"], "amount": a}} for c, a in zip(plan.tool_calls, amounts)]
    app.update_state(CFG, {"messages": [AIMessage(content=plan.content, id=plan.id, tool_calls=calls)]})
    return [c["id"] for c in calls]


def _run_to_end(app) -> dict:
    out = app.invoke(None, CFG)
    for _ in range(6):
        if not app.get_state(CFG).next:
            break
        out = app.invoke(None, CFG)
    return out


def test_a_plan_edited_in_the_state_that_fails_at_step_2_runs_no_step() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _app(world, committed)
    app.invoke({"messages": [HumanMessage("pay alice and bob")]}, CFG)
    ids = _edit_plan(app, [300, 300])  # 600 over a daily limit of 500: this plan fails at its step 2
    out = _run_to_end(app)
    assert committed == [] and world.spent_today == 0, committed
    answers = {m.tool_call_id: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert answers[ids[0]].status == "error" and f"guard {PLAN_GUARD!r}" in answers[ids[0]].content, answers[ids[0]].content
    assert "daily_limit" in answers[ids[0]].content, answers[ids[0]].content


def test_a_plan_edited_in_the_state_that_verifies_runs_whole() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _app(world, committed)
    app.invoke({"messages": [HumanMessage("pay alice and bob")]}, CFG)
    _edit_plan(app, [200, 300])
    _run_to_end(app)
    assert committed == [("alice", 200), ("bob", 300)], committed
