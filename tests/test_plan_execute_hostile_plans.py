"""Red team 143: hostile plans in `graphs.plan_execute`: a call id used twice, and a plan of thousands of steps.

Guarantee (brief; module docstring "A plan that can fail is rejected as a whole"; docs/kernel.md "What you get":
"a call without an id, an id used twice in one turn ... is denied"): bad input gets a clear error, in
bounded time, and nothing is committed.

1. A plan whose calls share an id (`c1` twice): `verify_plan` verifies both steps and `next_step`
   sends the first; its result answers "c1", so the second step counts as done and is never sent: the
   first commits, the second silently never runs, and the model is told nothing of it (the loop at
   least answers it: "call id 'c1' appears twice in one model turn"). The plan cannot run as verified,
   so it should be rejected before its first step, every call answered.
2. A plan of N steps that fails at its last: every one of its N calls is answered with the whole
   verdict, whose counterexample trace holds the state before each of the N steps, so the model is
   handed O(N²) text (1,000 steps: 26 MB; 10,000: about 2.6 GB, tens of minutes through the flow), and
   `verify_plan` is given an unbounded number of Z3 checks (its budget is per step). A plan needs a
   bound on its steps, past which it is rejected with a clear error.

Fixed: `plan_execute(max_steps=64)` rejects a longer plan, or one with a call id missing or repeated,
before verifying it, and answers every call.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy, PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int = 100_000


def _app(model: Any, ran: list[Any], *, flow: bool = True) -> Any:
    bank = Policy(Bank)

    @privacy_sink(internal=["to", "amount"], authority=["amount"])
    @privacy_source()
    @effect
    @bank.requires("amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        """Transfer money."""
        ran.append((to, amount))
        return "ok"

    privacy = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt143") if flow else None
    agent = Agent(model, [transfer], guards=[privacy.guard()] if privacy else [], flow=privacy,
                  world=lambda: Bank(), journal=EffectJournal())
    return plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver())


def _invoke(app: Any) -> list[Any]:
    out = app.invoke({"messages": [HumanMessage("pay them")]},
                     {"configurable": {"thread_id": "t"}, "recursion_limit": 100_000})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)]


def test_a_plan_with_a_call_id_used_twice_runs_no_step_and_answers_every_call():
    calls = [{"name": "transfer", "args": {"to": "alice", "amount": 10}, "id": "c1"},
             {"name": "transfer", "args": {"to": "bob", "amount": 20}, "id": "c1"}]

    def rule(messages: list[Any]) -> Any:
        return "done" if any(isinstance(m, AIMessage) for m in messages) else AIMessage("", tool_calls=calls)

    ran: list[Any] = []
    answered = _invoke(_app(ScriptedModel(rule=rule), ran))
    assert ran == [], f"a step of a plan with a repeated call id ran: {ran}"
    assert len(answered) == 2 and all(m.status == "error" and "c1" in m.content for m in answered), answered


def test_a_long_plan_failing_at_its_last_step_is_answered_in_bounded_text():
    ran: list[Any] = []
    steps = [("transfer", {"to": "alice", "amount": 1})] * 999 + [("transfer", {"to": "alice", "amount": 10**7})]
    answered = _invoke(_app(ScriptedModel([steps, "done"]), ran))
    total = sum(len(str(m.content)) for m in answered)
    assert ran == [] and answered
    assert total < 1_000_000, f"the model is handed {total:,} characters for one rejected plan"


@pytest.mark.timeout(120)
def test_a_10000_step_plan_is_rejected_quickly_and_runs_nothing():
    ran: list[Any] = []
    steps = [("transfer", {"to": "alice", "amount": 1})] * 10_000
    start = time.monotonic()
    answered = _invoke(_app(ScriptedModel([steps, "done"]), ran))
    assert ran == [] and answered and all(m.status == "error" for m in answered), (len(ran), len(answered))
    assert time.monotonic() - start < 60
