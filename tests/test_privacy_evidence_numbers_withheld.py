"""A guard's evidence holding a handle's value as a number is journaled and traced in clear.

The docs/privacy.md ("Other guards judge values") says what a guard that judges values says, "its reason,
evidence, counterexample", is journaled and traced "with every value of the thread's handles written as
its handle again ... a number only where it stands whole". An invoice's private amount "4817", held by
the model only as a handle and paid through `transfer(amount: int)`, reaches the guards as the int 4817.
`requires("amount <= state.balance")` then denies with `counterexample: {"amount": 4817}` and the
journal's `verdicts`/`denied` entries and the span's `vfa.evidence` keep 4817 in clear (its reason,
text, does read «amount:…»): the withholding walk matched only text and values of the handle's own type,
never the number validation made of the text. A journal or trace reader learns a value the model never
saw, where docs/privacy.md says it holds the handle.

Fixed: a number in a verdict whose printed form is exactly a handle's value is written as that handle
(`HandleStore.withheld`); the printed form only, so 10.0 is still no int 10.
"""

from __future__ import annotations

import json
import re
from typing import Any

from _turns import by_step
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, Deny, EffectJournal, effect, guard
from vfa.testing import ScriptedModel

ME = "me@home.example"


class Bank(BaseModel):
    balance: int = 100


def _tools() -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["amount"], kind="invoice")
    def get_invoice() -> dict:
        """The open invoice (its amount written as text, as billing systems write it)."""
        return {"payee": "Landlord Ltd", "amount": "4817"}

    @privacy_sink(internal=["amount"], authority=["amount"])
    @privacy_source()
    @effect
    @requires("amount <= state.balance", state=Bank)
    def transfer(amount: int) -> str:
        """Pay."""
        return "ok"

    return [get_invoice, transfer]


def _pay_by_handle(tms: list[Any]) -> Any:
    return ("transfer", {"amount": re.search(r'"amount": "(«[^»]+»)"', tms[-1].content).group(1)})


def _journal_after(extra_guards: list[Any]) -> EffectJournal:
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt138")
    app = Agent(ScriptedModel(rule=by_step([("get_invoice", {}), _pay_by_handle])), _tools(),
                guards=[flow.guard(), *extra_guards], flow=flow, world=lambda: Bank(), journal=journal).compile()
    app.invoke({"messages": [HumanMessage("pay the open invoice")]}, {"configurable": {"thread_id": "t"}})
    return journal


def _written(journal: EffectJournal, kinds: tuple[str, ...]) -> str:
    entries = [e for e in journal.entries("t") if e.tool == "transfer" and e.kind in kinds]
    assert entries, [(e.tool, e.kind) for e in journal.entries("t")]
    return json.dumps([e.data for e in entries], default=repr, ensure_ascii=False)


def test_a_preconditions_counterexample_keeps_the_handle_not_the_number():
    written = _written(_journal_after([]), ("verdicts", "denied"))
    assert "counterexample" in written
    assert "4817" not in written, written


def test_a_guards_own_evidence_number_is_written_as_its_handle():
    @guard(tools=["transfer"])
    def quoting(proposal, context):
        return Deny(reason="over the limit", evidence={"amount": proposal.args["amount"]})

    written = _written(_journal_after([quoting]), ("verdicts", "denied"))
    assert "4817" not in written, written
    assert re.search(r'"amount": "«amount:[0-9a-f]{16}»"', written), written
