"""A denial quoting the model's guess confirms it by the marks between its words.

Guarantee (docs/privacy.md, "Denials"): "Every handle and every word of the call's own arguments is
withheld too: a guard judging values writes a right guess as its handle and a wrong one as the model
wrote it, and only so do both read alike."

How it breaks: `PrivacyFlow.observe_denial` withholds the *words* (`\\w+`, two characters or more) of the
call's arguments, not their text. A right guess is written by the store as one handle, withheld whole
("‹withheld›"); a wrong guess of the same shape keeps what lies between and around its words: a mark
("Red Harbor!" reads "‹withheld›!"), a one-letter word ("Plan C" reads "‹withheld› C"), a guess of one letter or one digit whole ("O" reads "O", an amount of
4 reads 4, where the right "S" and 3 read "‹withheld›"). So one denied
call per guess tells the model whether a letters-only (or one-digit) private value it holds as a handle is the text it
wrote: a built-in Z3 precondition quoting its counterexample is enough.

What must hold: with the model's own guess put back, the denials of a right and a wrong guess read alike.

Fixed: observe_denial withholds every text and number of the call's own arguments whole, as written and as the
thread's handles rewrite it (_own_values_withheld); a withheld JSON text is shown bare.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import BaseModel

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import ALLOW, Agent, Deny, EffectJournal, FunctionGuard, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"


class Book(BaseModel):
    payees: set[str]


def _denial(secret: str, guess: str, *, precondition: bool) -> str:
    """The text the model reads of the denial of `transfer(to=guess)` after reading `secret` as a handle."""
    @privacy_source(private=["motto"], kind="vault")
    def read_vault() -> dict:
        """The user's vault."""
        return {"motto": secret}

    @privacy_sink(internal=["to", "amount"])
    @effect
    @requires("to in state.payees", state=Book)
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    def quote(p: Any, c: Any) -> Any:  # a developer's guard quoting the call, as guards commonly do
        return Deny(reason=f"payee {p.args['to']!r} is unknown") if p.tool == "transfer" else ALLOW

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"denial-guess")
    extra = [] if precondition else [FunctionGuard(quote, name="quote")]
    model = ScriptedModel([("read_vault", {}), ("transfer", {"to": guess, "amount": 5}), "done"])
    app = Agent(model, [read_vault, transfer], guards=[flow.guard(), *extra], flow=flow, journal=journal,
                world=Book(payees={"alice"})).compile()
    out = app.invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«" in tms["read_vault"].content  # the model holds the private value as a handle only
    assert tms["transfer"].artifact["vfa"]["outcome"] == "denied"
    return tms["transfer"].content


@pytest.mark.parametrize("precondition", [True, False], ids=["requires", "function-guard"])
@pytest.mark.parametrize(("secret", "wrong"), [
    ("Blue Harbor!", "Red Harbor!"),      # a mark after the last word
    ("Plan B", "Plan C"),                  # a one-letter word
    ("Tom & Jerry", "Tom & Jenny"),        # a mark between words that is no separator
    ("S", "O"),                            # one letter
])
def test_a_right_and_a_wrong_guess_read_alike(secret: str, wrong: str, precondition: bool) -> None:
    right_text = _denial(secret, secret, precondition=precondition)
    wrong_text = _denial(secret, wrong, precondition=precondition)
    # the model knows what it wrote: with its own guess put back, both denials must read the same
    assert wrong_text.replace(wrong, "GUESS") == right_text.replace(secret, "GUESS"), (
        f"the denial singles out the right guess:\n wrong guess: {wrong_text}\n right guess: {right_text}")


class Limit(BaseModel):
    limit: int


def _number_denial(guess: int) -> str:
    """The denial of `claim(amount=guess)` after the model read a private count of 3 as a handle."""
    @privacy_source(private=["dependents"], kind="tax")
    def tax_profile() -> dict:
        """The user's tax profile."""
        return {"dependents": 3}

    @privacy_sink(internal=["amount"])
    @effect
    @requires("amount <= state.limit", state=Limit)
    def claim(amount: int) -> str:
        """Claim an allowance."""
        return "ok"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"denial-guess")
    model = ScriptedModel([("tax_profile", {}), ("claim", {"amount": guess}), "done"])
    app = Agent(model, [tax_profile, claim], guards=[flow.guard()], flow=flow, journal=EffectJournal(),
                world=Limit(limit=1)).compile()
    out = app.invoke({"messages": [HumanMessage("claim")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«" in tms["tax_profile"].content and tms["claim"].artifact["vfa"]["outcome"] == "denied"
    return tms["claim"].content


def test_a_one_digit_guess_reads_as_the_right_one_does() -> None:
    right, wrong = _number_denial(3), _number_denial(4)
    assert right == wrong, f"the denial singles out the right guess:\n wrong (4): {wrong}\n right (3): {right}"
