"""A plan that stops at a failing step answers every one of its calls before the model is asked again.

`graphs.plan_execute` runs a verified plan one call at a time; when a step fails (its tool raises, or a
guard denies it on the concrete state) after earlier steps committed, `next_step` routes straight to the
planner (or to END) and the plan's later calls get no tool message at all. The model is then invoked
with an assistant message whose tool calls are partly unanswered: chat APIs refuse such a conversation
(every `tool_call_id` must be followed by its tool message), and the model is never told those steps did
not run, so it may take them as done. A run that ends (replans used up) leaves the thread so too: the
user's next turn fails the same way.

What must hold: after a step fails, each later call of the plan has exactly one tool message, with status
"error", saying it was not run because an earlier step failed; the steps before it stay committed once,
the later ones are not committed; this holds both when the model re-plans and when the run ends.

Fixed: plan_execute's stop_plan node answers each later call (not run) before the model re-plans or the run
ends.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, ToolMessage
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


PLAN = [("transfer", {"to": "alice", "amount": 100}), ("transfer", {"to": "bob", "amount": 100}),
        ("transfer", {"to": "carol", "amount": 100})]


def run(max_replans: int):
    world = Bank(balance=1000, daily_limit=500)
    bank = Policy(Bank)
    committed: list[str] = []

    @effect
    @bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today")
    @bank.ensures("state.balance -= amount", "state.spent_today += amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        if to == "bob":
            raise RuntimeError("the bank is offline")
        world.balance -= amount
        world.spent_today += amount
        committed.append(to)
        return f"sent {amount} to {to}"

    agent = Agent(ScriptedModel([PLAN, "done"]), [transfer], world=lambda: world)
    app = plan_execute(agent, max_replans=max_replans).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay all three")]}, {"configurable": {"thread_id": "t"}})
    return out["messages"], committed


def answers(messages: list) -> dict[str, list[ToolMessage]]:
    plan = next(m for m in messages if isinstance(m, AIMessage) and m.tool_calls)
    after = messages[messages.index(plan) + 1:]
    end = next((i for i, m in enumerate(after) if isinstance(m, AIMessage)), len(after))
    out: dict[str, list[ToolMessage]] = {c["id"]: [] for c in plan.tool_calls}
    for m in after[:end]:
        if isinstance(m, ToolMessage):
            out[m.tool_call_id].append(m)
    return out


def test_the_model_replans_with_every_call_answered() -> None:
    messages, committed = run(max_replans=1)
    assert committed == ["alice"]
    got = answers(messages)
    assert all(len(ms) == 1 for ms in got.values()), got
    carol = got["call_0_2"][0]
    assert carol.status == "error" and "not run" in carol.content and "step 2" in carol.content
    assert messages[-1].content == "done"


def test_a_run_that_ends_leaves_no_call_unanswered() -> None:
    messages, committed = run(max_replans=0)
    assert committed == ["alice"]
    got = answers(messages)
    assert all(len(ms) == 1 for ms in got.values()), got
    assert got["call_0_2"][0].status == "error"
