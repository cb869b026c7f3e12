"""A handle is judged by the value behind it where a JSON schema's keywords at its top check the argument.

What must hold: a schema may say an argument's rule at its top (`allOf` of properties, `patternProperties`,
`if`/`then`), where the whole call is checked; a handle written in that argument is judged there by its value,
as it is by the argument's own `pattern`: a value that fits is paid, one that does not is refused without
telling the value. Before, the handle's own text was judged by the top keywords and the call refused however
well the value behind it fitted (the argument's own `pattern` judged the value).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from _landlord import IBAN, ME, get_contacts, pay_by_handle
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

BASE: dict[str, Any] = {"type": "object", "required": ["iban", "amount"],
                        "properties": {"iban": {"type": "string"}, "amount": {"type": "integer"}}}
TOP = {
    "allOf": lambda p: {"allOf": [{"properties": {"iban": {"pattern": p}}}]},
    "patternProperties": lambda p: {"patternProperties": {"^iban$": {"pattern": p}}},
    "if/then": lambda p: {"if": {"properties": {"amount": {"minimum": 1}}}, "then": {"properties": {"iban": {"pattern": p}}}},
}


def _pay(schema: dict[str, Any]) -> tuple[list[dict], list[str]]:
    paid: list[dict] = []

    def pay_fn(iban: str, amount: int) -> str:
        paid.append({"iban": iban, "amount": amount})
        return "paid"

    body = privacy_sink(internal=["iban", "amount"], authority=["iban", "amount"])(privacy_source()(pay_fn))
    pay = StructuredTool(name="pay", description="Pay an account.", args_schema=schema, func=body)
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"top-keywords")
    app = Agent(ScriptedModel(rule=pay_by_handle(10)), [get_contacts(), pay], guards=[flow.guard()], flow=flow,
                journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("pay the landlord")]}, {"configurable": {"thread_id": "t"}})
    return paid, [m.content for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "pay"]


@pytest.mark.parametrize("where", sorted(TOP))
def test_a_value_that_fits_the_top_keywords_is_paid(where: str) -> None:
    paid, sent = _pay({**BASE, **TOP[where]("^DE[0-9]{20}$")})
    assert paid == [{"iban": IBAN, "amount": 10}], sent


@pytest.mark.parametrize("where", sorted(TOP))
def test_a_value_that_breaks_them_is_refused_untold(where: str) -> None:
    paid, sent = _pay({**BASE, **TOP[where]("^FR")})
    assert paid == [] and len(sent) == 1, sent
    assert IBAN not in json.dumps(sent) and "denied" in sent[0], sent
