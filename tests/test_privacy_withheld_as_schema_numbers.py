"""A handle's amount, read as a number by the tool's schema, is journaled and traced in clear.

docs/privacy.md ("Other guards judge values"): what a guard judging values says "is journaled, traced and shown
with every value of the thread's handles written as its handle again"; an argument the tool types as
other than text that holds a handle "is validated on the value behind it" (an invoice's "120" is paid
as 120). docs/privacy.md ("Logs"): the OTel spans show handles only.

How it breaks: `HandleStore.withheld` looks for a number by the text of the handle's own value. Where
the tool's schema prints it otherwise, the value is not found: an invoice's amount "4817" (or the JSON
number 4817) paid through `transfer(amount: float)` reaches the guards as 4817.0; "4817.50" as 4817.5;
"04817" or "4817.0" through `amount: int` as 4817. `requires("amount <= state.balance")` then writes
"amount=4817.0" into its reason and counterexample, and the journal's `verdicts` / `denied` entries and
the `run_guardrail` span's `vfa.reason` / `vfa.evidence` keep the private amount the model only ever held
as «amount:…» (guards/_handles.py, `HandleStore._telling`: one text form per value).

What must hold: neither the journal's entries for the payment nor any span holds the amount's digits.

Fixed: HandleStore._telling also looks for each form a handle's value prints in once a schema reads it as a
number (_as_numbers): as written, as a float, as an int.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from _turns import by_step
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel, capture_spans

ME = "me@home.example"


class Bank(BaseModel):
    balance: int = 100


def _tools(amount: Any, kind: str) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["amount"], kind="invoice")
    def get_invoice() -> dict:
        """The open invoice."""
        return {"payee": "Landlord Ltd", "amount": amount}

    if kind == "float":
        @privacy_sink(internal=["amount"], authority=["amount"])
        @privacy_source()
        @effect
        @requires("amount <= state.balance", state=Bank)
        def transfer(amount: float) -> str:
            """Pay."""
            return "ok"
    else:
        @privacy_sink(internal=["amount"], authority=["amount"])
        @privacy_source()
        @effect
        @requires("amount <= state.balance", state=Bank)
        def transfer(amount: int) -> str:  # type: ignore[misc]
            """Pay."""
            return "ok"

    return [get_invoice, transfer]


def _pay_by_handle(tms: list[Any]) -> Any:
    return ("transfer", {"amount": re.search(r'"amount": "?(«[^»]+»)', tms[-1].content).group(1)})


@pytest.mark.parametrize(("amount", "kind"), [
    ("4817", "float"),     # 4817.0
    (4817, "float"),       # the JSON number, as a float: 4817.0
    ("4817.50", "float"),  # 4817.5
    ("04817", "int"),      # 4817
    ("4817.0", "int"),     # 4817
    (" 4817", "int"),      # 4817
])
def test_an_amount_read_as_a_number_is_written_as_its_handle(amount: Any, kind: str) -> None:
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"schema-numbers")
    app = Agent(ScriptedModel(rule=by_step([("get_invoice", {}), _pay_by_handle])), _tools(amount, kind),
                guards=[flow.guard()], flow=flow, world=lambda: Bank(), journal=journal).compile()
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("pay the open invoice")]}, {"configurable": {"thread_id": "t"}})
        finished = spans.get_finished_spans()
    assert "«amount:" in out["messages"][2].content  # the model held the amount as a handle only
    entries = [e for e in journal.entries("t") if e.tool == "transfer" and e.kind in ("verdicts", "denied")]
    assert [e.kind for e in entries] == ["verdicts", "denied"]
    written = json.dumps([e.data for e in entries], default=repr, ensure_ascii=False)
    assert "counterexample" in written
    assert "4817" not in written, written
    traced = json.dumps([(s.name, dict(s.attributes or {}), s.status.description) for s in finished],
                        default=str, ensure_ascii=False)
    assert "requires:transfer" in traced
    assert "4817" not in traced, traced
