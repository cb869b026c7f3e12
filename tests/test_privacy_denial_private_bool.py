"""Red team 77: a private yes/no field is told to the model by any guard's `true`/`false`.

Guarantee (docs/privacy.md, privacy guard): "the model never sees a private value behind a handle"; a denial's
text never depends on a private value ("whether a token is shown never depends on its value").

How it breaks: a private boolean field (`hiv_positive: true`) reaches the model as a handle, and its
value is minted as `True`. Every guard but the privacy guard has what it says passed through
`HandleStore.withheld`, which replaces any value *equal* to a handle's value by the handle: so every
`True` a precondition or any other guard writes (its evidence, or the word "True" in its reason)
becomes `«hiv_positive:…»` while every `False` stays. The model reads `"state.frozen": "‹withheld›"`
when the patient is positive and `false`/`true` in clear otherwise: one denial of an unrelated call (a
frozen account) tells it the diagnosis, with no guess at all. (Unlike the accepted "public number
equal to a private one": numbers are withheld from the model's denial text anyway, booleans are not.)

Cause: guards/_handles.py:166-173 (`withheld.walk` looks every scalar up in `whole`, keyed by
`(type, value)`, and `_telling` adds `str(True)` to the text forms) applied in vfa/_chain.py:226-227.
Fix: never write values back by equality for booleans, None and other low-entropy scalars (a
bool/None handle cannot be told from a constant); more generally, do not let the model-visible
text depend on the substitution (see test_rt77_denial_marks_guess.py).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import BaseModel

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"


class Bank(BaseModel):
    frozen: bool = True


def _denial_after_reading(positive: bool) -> str:
    @privacy_source(private=["hiv_positive"], kind="patient")
    def get_patient() -> dict:
        """The user's patient record."""
        return {"id": "p1", "hiv_positive": positive}

    @privacy_sink(internal=["amount"], authority=["amount"])
    @privacy_source()
    @effect
    @requires("not state.frozen", state=Bank)
    def pay_bill(amount: int) -> str:
        """Pay the clinic's bill from the user's account."""
        return "paid"

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return ("get_patient", {}) if turn == 0 else ("pay_bill", {"amount": 10}) if turn == 1 else "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt77")
    app = Agent(ScriptedModel(rule=rule), [get_patient, pay_bill], guards=[flow.guard()], flow=flow,
                world=lambda: Bank(frozen=True), journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("pay the clinic 10")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«hiv_positive:" in tms["get_patient"].content  # the model holds the field as a handle only
    assert tms["pay_bill"].artifact["vfa"]["outcome"] == "denied"  # the account is frozen either way
    return tms["pay_bill"].content


def test_a_denial_on_a_public_boolean_does_not_depend_on_a_private_one():
    positive, negative = _denial_after_reading(True), _denial_after_reading(False)
    assert positive == negative, (
        f"the same denial reads differently by the patient's private flag:\n true: {positive}\n false: {negative}")
