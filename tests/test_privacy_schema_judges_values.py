"""Red team 77: a tool's own argument schema judges a handle's text, while the effect receives the value.

Guarantee: bad input gets a clear error and commits nothing; every check the node makes before an
effect holds for "the arguments the effect would receive" (docs/privacy.md, "Other guards judge values": a
precondition "must hold for the account that is paid, not for a handle's text"; red team 75).

How it breaks: `GuardNode._handle` validates the call with the tool's schema (`spec.validate(raw_args)`,
vfa/_guard_node.py:291) on the arguments as the model wrote them, handles included, and only the
guards are given the resolved values (`_values`). A constraint in the tool's signature, such as an
`AfterValidator` refusing blocked accounts or a `max_length`, is evaluated on `"«iban:…»"` (24
characters, in no block list) and passes; at commit `flow.resolve` hands the effect the value, which
the schema never saw: the blocked account is paid, a 200-character value reaches a field declared
`max_length=34`. The same holds for a type: a `str` argument given a record's handle receives a dict.

Fix: validate the resolved arguments too (e.g. in `_values`/`verify`: `spec.validate(spec.dump(values))`
with an error reported in handle form through `withhold`, or validate `flow.resolve(...)` right before
`act`), failing the call closed when the value does not fit the schema.
"""



import json
from typing import Annotated, Any

from _landlord import IBAN, landlord_agent, payment
from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import AfterValidator, Field

BLOCKED = IBAN


def _not_blocked(iban: str) -> str:
    if iban == BLOCKED:
        raise ValueError(f"account {iban} is blocked")  # quotes the value it refuses
    return iban


def _pay_by_handle(iban_value: Any, iban_type: Any) -> tuple[list[Any], str]:
    paid: list[Any] = []

    @payment
    def pay(iban: iban_type, amount: int) -> str:  # type: ignore[valid-type]
        """Pay an account."""
        paid.append(iban)
        return "paid"

    app = landlord_agent(pay, 10, secret=b"rt77", iban=iban_value)
    out = app.invoke({"messages": [HumanMessage("pay the landlord 10")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«iban:" in tms["get_contacts"].content
    entries = app.builder.nodes["tools"].runnable.journal.entries("t", call_id=tms["pay"].tool_call_id)
    written = json.dumps([e.data for e in entries]) + tms["pay"].content
    assert BLOCKED not in written  # what the schema said of the value is journaled and shown without it
    return paid, tms["pay"].artifact["vfa"]["outcome"]


def test_a_validator_in_the_signature_is_not_passed_by_a_handle():
    paid, outcome = _pay_by_handle(BLOCKED, Annotated[str, AfterValidator(_not_blocked)])
    assert paid == [], f"pay ran with {paid}, which its own argument schema refuses (outcome {outcome})"
    assert outcome == "denied"


def test_a_length_limit_in_the_signature_holds_for_the_value():
    paid, outcome = _pay_by_handle("X" * 200, Annotated[str, Field(max_length=34)])
    assert all(len(p) <= 34 for p in paid), f"pay ran with a {len(paid[0])}-character iban (outcome {outcome})"
