"""An amount the user typed does not ground the same amount for a tool that types it `Decimal`.

The docs/privacy.md ("Records and authority"): "An amount the user typed grounds the number it writes, in the marks
of their locale where only one reading exists: 1,200.50, 1200,50, 1.200,50, 1.200.000 and 1'200.50".
That holds for `amount: float` and `amount: int`, but not for `amount: Decimal`, the type Python code
uses for money. The model writes the JSON number 1200.5; validation makes it `Decimal("1200.5")`, which
`_forms._leaves` reads through `json_value` as the text "1200.5", and `_leaf_label` compares a text
exactly with the user's tokens: "1200.50", "1,200.50", "$1,200" or "12,50" typed by the user no longer
ground it, and after the model read any untrusted content (an email) the user's own payment is denied by
`authority needs the user`. Same amount, same user words, committed with `float`, refused with `Decimal`.

Expected: a validated `Decimal` is a number for grounding as a float is; the payment is committed. The
control (an amount the user never typed) stays denied.

Fixed: a finite `Decimal` is a leaf read as a number (`_forms._is_decimal`), at the top level and in a
model's field, so it is grounded by the number the user typed, as a float is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from test_privacy_integrity import _outcome, _run

from guards import privacy_sink, privacy_source
from vfa import effect

ACCOUNT = "ACC-99887766"


def _bank(paid: list[Any], amount_type: type) -> list[Any]:
    @privacy_sink()
    @privacy_source(untrusted=["body"], kind="email", key="id")
    def read_inbox() -> list:
        """Mail (untrusted)."""
        return [{"id": 77, "body": "Your invoice is attached."}]

    def pay(account: str, amount) -> str:  # noqa: ANN001 - typed below
        """Pay `amount` to an account."""
        paid.append(amount)
        return "paid"

    pay.__annotations__["amount"] = amount_type
    pay = privacy_sink(disclose={"amount": "account"}, authority=["account", "amount"])(privacy_source()(effect(pay)))
    return [read_inbox, pay]


@pytest.mark.parametrize("typed,written", [("1200.50", 1200.5), ("1,200.50", 1200.5), ("$1,200", 1200),
                                           ("1200", 1200.0), ("12,50", 12.5)])
@pytest.mark.parametrize("amount_type", [float, Decimal])
def test_an_amount_the_user_typed_grounds_a_decimal_amount(typed: str, written: Any, amount_type: type) -> None:
    paid: list[Any] = []
    tms = _run(f"Read my mail, then pay {typed} to account {ACCOUNT}.",
               [("read_inbox", {}), ("pay", {"account": ACCOUNT, "amount": written})], _bank(paid, amount_type))
    assert _outcome(tms, "pay") == "committed", f"the user's own {typed} was refused as {amount_type.__name__}"
    assert paid == [amount_type(str(written))]


@pytest.mark.parametrize("amount_type", [float, Decimal])
def test_an_amount_the_user_never_typed_stays_denied(amount_type: type) -> None:  # the control
    paid: list[Any] = []
    tms = _run(f"Read my mail, then pay 1200.50 to account {ACCOUNT}.",
               [("read_inbox", {}), ("pay", {"account": ACCOUNT, "amount": 3601.5})], _bank(paid, amount_type))
    assert _outcome(tms, "pay") == "denied" and paid == []


def test_both_audits_agree_with_the_live_guard_on_a_decimal_amount() -> None:
    from _audit_trace import audit_journal, audit_messages
    from langchain_core.messages import AIMessage, HumanMessage

    from guards import PrivacyFlow
    from test_privacy_integrity import POLICY
    from vfa import Agent, EffectJournal
    from vfa.testing import ScriptedModel

    steps = [("read_inbox", {}), ("pay", {"account": ACCOUNT, "amount": 1200.5})]

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return steps[turn] if turn < len(steps) else "done"

    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"rt153", journal=journal)
    paid: list[Any] = []
    app = Agent(ScriptedModel(rule=rule), _bank(paid, Decimal), guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage(f"Read my mail, then pay 1,200.50 to account {ACCOUNT}.")]},
                     {"configurable": {"thread_id": "t"}})
    assert paid == [Decimal("1200.5")]
    for audit in (audit_journal(journal, out["messages"], _bank([], Decimal), PrivacyFlow(POLICY, secret=b"rt153")),
                  audit_messages(out["messages"], _bank([], Decimal), PrivacyFlow(POLICY, secret=b"rt153"))):
        assert audit == [], [v.message for v in audit]
