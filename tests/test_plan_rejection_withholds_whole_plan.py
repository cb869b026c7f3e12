"""A plan rejection shown at another step quotes the model's guess only when it is wrong.

Guarantee (docs/privacy.md, "Denials"): every handle and every word of the call's own arguments is
withheld from a denial: "a guard judging values writes a right guess as its handle and a wrong one as the
model wrote it, and only so do both read alike. A plan-execute rejection reaches the model the same way."

How it breaks: `plan_execute`'s `check_plan` verifies the whole plan and shows its one rejection at every
step, each through `node.denial(step, verdict)`, so the flow withholds the words of *that step's*
arguments only. The rejection quotes the step that fails (`to='...'` of step 2): at step 1 a wrong guess
at a payee the model holds as `«payee:…»` reads in clear ('mallory'), the right one as its handle
('‹withheld›'). One planned call per guess confirms a private value of any length.

What must hold: with the model's own guess put back, every step's rejection reads alike for a right and a
wrong guess (each step's message withholds what the whole plan wrote).

Fixed: each step's rejection is shown with the whole plan's arguments as its raw_args.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, effect
from vfa.testing import ScriptedModel

PAYEE = "zebulon"


class Account(BaseModel):
    payees: set[str] = {"alice"}


def _rejections(guess: str) -> dict[str, str]:
    """Each planned step's rejection as the model reads it, for a plan paying `guess` at step 2."""
    @privacy_sink()
    @privacy_source(private=["payee"], kind="invoice")
    def get_invoice() -> dict:
        """The open invoice."""
        return {"payee": PAYEE, "due": "soon"}

    @privacy_sink(internal=["text"])
    @privacy_source()
    @effect
    def note(text: str) -> str:
        """A note to self."""
        return "ok"

    @privacy_sink(internal=["to", "amount"])
    @privacy_source()
    @effect
    @requires("to in state.payees", state=Account)
    def transfer(to: str, amount: int) -> str:
        """Pay someone."""
        return "ok"

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_invoice", {})
        if turn == 1:  # the plan: a note, then the payment to the guessed payee
            return [("note", {"text": "paying"}), ("transfer", {"to": guess, "amount": 5})]
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"denial-guess")
    agent = Agent(ScriptedModel(rule=rule), [get_invoice, note, transfer], guards=[flow.guard()], flow=flow,
                  world=lambda: Account())
    out = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver()).invoke(
        {"messages": [HumanMessage("pay the invoice")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m.content for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«payee:" in tms["get_invoice"]  # the model holds the payee as a handle only
    assert "verify_plan" in tms["note"] and "verify_plan" in tms["transfer"], tms
    return tms


@pytest.mark.parametrize("step", ["note", "transfer"])
def test_every_steps_rejection_reads_alike_for_a_right_and_a_wrong_guess(step: str) -> None:
    right, wrong = _rejections(PAYEE)[step], _rejections("mallory")[step]
    assert wrong.replace("mallory", "GUESS") == right.replace(PAYEE, "GUESS"), (
        f"the rejection at {step} singles out the right guess:\n wrong: {wrong}\n right: {right}")
