"""The plan-then-execute graph's own denials are not taken for forged gate messages.

`guards/_threads.py` `_Threads._forged` (824ba9a) counts a tool message whose artifact claims a denial
(`{"vfa": {"outcome": "denied"}}`) as a result no node wrote unless the journal holds a record under its
call id (or the artifact's `call_id`). `graphs.plan_execute` writes such messages itself, through the
agent's own `GuardNode.denial`, for calls it never journals under the model's id:

- `stop_plan` answers the calls after a failed step ("not run ... the plan stopped there"), journaling
  nothing (none was judged);
- a rejected plan's calls are journaled under `<id>#plan-<fingerprint>` (`GuardNode.record_denial`), so
  a later plan may reuse the id.

Each such message blinds the thread ("unobserved-result:<id>#forged"): every later argument is labelled
untrusted, and a payment to the IBAN the user typed, paid by the loop and by a plan that did not stop,
is denied `authority needs the user`.

What must hold (README, plan-then-execute: "a step denied there stops the plan and goes back to the model",
and "the model may re-plan"; labels as in the loop): the graph's own answers to a stopped or rejected
plan are not results no node wrote; the re-plan pays the IBAN the user typed.

Fixed: plan_execute's own denials are journaled as the node's refusals under keys of their own
(GuardNode.refusals), and a rejected plan's messages record record_denial's key.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from benchmarks.privacy.world import POLICY, World
from graphs.plan_execute import plan_execute
from guards import Policy, PrivacyFlow, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

IBAN = "GB29NWBK60161331926819"
ASK = f"check the ledger, then pay 500 to {IBAN}"
CFG = {"configurable": {"thread_id": "t"}}


class Bank(BaseModel):
    balance: int = 1000


bank = Policy(Bank)


def _plan(*calls: tuple[str, str, dict[str, Any]]) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": i} for i, name, args in calls])


def _run(first_plan: AIMessage, extra: list[Any]) -> tuple[World, list[Any]]:
    world = World()
    flow = PrivacyFlow(POLICY, secret=b"plan-denials")

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return first_plan
        if turn == 1:  # the re-plan: the payment alone, the IBAN the user typed
            return _plan(("p2", "pay", {"iban": IBAN, "amount": 500}))
        return AIMessage("done")

    agent = Agent(ScriptedModel(rule=rule), [*world.tools(), *extra], guards=[flow.guard()], flow=flow,
                  journal=EffectJournal(), world=lambda: Bank())
    out = plan_execute(agent, max_replans=2).compile(checkpointer=InMemorySaver()).invoke(
        {"messages": [HumanMessage(ASK)]}, CFG)
    return world, out["messages"]


def _shown(messages: list[Any]) -> list[str]:
    return [str(m.content)[:160] for m in messages if isinstance(m, ToolMessage)]


def test_a_replan_after_a_failed_step_pays_the_iban_the_user_typed() -> None:
    @privacy_source()
    @effect
    def check_ledger() -> str:
        """Check the ledger (down today)."""
        raise RuntimeError("ledger offline")

    world, messages = _run(_plan(("c1", "check_ledger", {}), ("c2", "pay", {"iban": IBAN, "amount": 500})),
                           [check_ledger])
    assert any("the plan stopped there" in str(m.content) for m in messages if isinstance(m, ToolMessage))
    assert world.payments == [{"iban": IBAN, "amount": 500.0, "note": ""}], _shown(messages)


def test_a_replan_after_a_rejected_plan_pays_the_iban_the_user_typed() -> None:
    @privacy_sink(internal=["amount"], authority=["amount"])
    @privacy_source()
    @effect
    @bank.requires("amount <= state.balance")
    def reserve(amount: int) -> str:
        """Reserve an amount of the balance."""
        return "ok"

    world, messages = _run(_plan(("c1", "reserve", {"amount": 5000}), ("c2", "pay", {"iban": IBAN, "amount": 500})),
                           [reserve])
    assert any("plan rejected" in str(m.content) for m in messages if isinstance(m, ToolMessage))
    assert world.payments == [{"iban": IBAN, "amount": 500.0, "note": ""}], _shown(messages)
