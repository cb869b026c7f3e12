"""Red team 75: a Z3 precondition judges a handle's text, while the effect receives the value it stands for.

With a privacy flow, a private field (a contact's IBAN) reaches the model as a handle `«iban:…»`, and
the model pays by copying the handle into `pay(iban=...)`. The guard chain then checks the proposal's
arguments as written: `PreconditionGuard` evaluates `not (iban in state.blocked)` on the string
`"«iban:a1305cfa5583b977»"`, which is in no block list, so the clause holds and the call is allowed.
Only at commit does `PrivacyFlow.resolve` swap the handle for the IBAN, so the effect pays a blocked
account: the precondition is false for the arguments the effect ran with.

This breaks the kernel's first promise (docs/privacy.md, "Proposal -> verdict -> commit": an action is verified,
"only then is the effect committed"; Quickstart: "A precondition, checked by Z3's semantics before the
effect may run"; `vfa/_guard_node.py`: "no gap between the check and the use"). Any negative clause
(`not in`, `!=`, `len(x) <= n`) over a str argument passes on the 24-character handle whatever the
value. Nothing in docs/privacy.md says other guards see handles in place of values.

Cause: `GuardNode._commit` resolves handles (`flow.resolve`) only after `verify` ran the chain on
`proposal.args` (handle form); `PreconditionGuard.check` reads `proposal.args` as they are.
"""

from __future__ import annotations

import json
from typing import Any

from _landlord import IBAN, ME, landlord_agent, payment
from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import BaseModel

from guards import requires
from vfa import ALLOW, EffectJournal, FunctionGuard
from vfa.testing import capture_spans

BLOCKED = IBAN  # the landlord's account, which the bank has since blocked


class Bank(BaseModel):
    blocked: set[str] = set()
    payees: set[str] = set()


def _pay_agent(precondition: str, bank: Bank, seen: list[Any], paid: list[Any]):
    """An agent that reads a contact (its IBAN handled) and pays it by the handle it was shown; `pay`
    holds `precondition` over `bank`, and a guard of the developer's own notes the IBAN it reads."""
    @payment
    @requires(precondition, state=Bank)
    def pay(iban: str, amount: int) -> str:
        """Pay an account."""
        paid.append(iban)
        return "paid"

    def looks(p: Any, c: Any) -> Any:
        if p.tool == "pay":
            seen.append(p.args["iban"])
        return ALLOW

    journal = EffectJournal()
    app = landlord_agent(pay, 10, secret=b"rt75", iban=BLOCKED, guards=[FunctionGuard(looks, name="looks")],
                         world=lambda: bank, journal=journal)
    out = app.invoke({"messages": [HumanMessage("pay the landlord 10")]}, {"configurable": {"thread_id": "t"}})
    return {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}, journal


def test_a_precondition_is_not_passed_by_a_handle_standing_for_a_value_it_forbids():
    paid: list[Any] = []
    tms, _ = _pay_agent("not (iban in state.blocked)", Bank(blocked={BLOCKED}), [], paid)
    assert "«iban:" in tms["get_contacts"].content  # the model only ever held a handle

    # the world forbids paying BLOCKED: the effect must never receive it
    assert paid == [], f"pay ran with the blocked account {paid} although its precondition forbids it"
    # denied, or held for a person (a fix may ask instead): never committed
    assert "pay" not in tms or tms["pay"].artifact["vfa"]["outcome"] != "committed"


def test_every_guard_but_the_privacy_guard_judges_the_value_the_effect_receives():
    seen: list[Any] = []
    paid: list[Any] = []
    tms, _ = _pay_agent("iban in state.payees", Bank(payees={BLOCKED}), seen, paid)
    # a precondition over the value holds for it (the handle's text is no payee), and a guard of the
    # developer's own reads the value too: the effect receives what they judged
    assert tms["pay"].artifact["vfa"]["outcome"] == "committed" and paid == [BLOCKED] and seen == [BLOCKED]


def test_what_a_guard_says_of_a_value_is_journaled_and_shown_as_its_handle():
    seen: list[Any] = []
    paid: list[Any] = []
    with capture_spans() as spans:
        tms, journal = _pay_agent("iban in state.payees", Bank(payees={"DE00000000000000000000"}), seen, paid)
    assert paid == [] and tms["pay"].artifact["vfa"]["outcome"] == "denied"
    token = json.loads(tms["get_contacts"].content)[0]["iban"]
    entries = [e for e in journal.entries("t") if e.call_id == tms["pay"].tool_call_id]
    written = json.dumps([e.data for e in entries]) + tms["pay"].content + json.dumps(tms["pay"].artifact)
    written += json.dumps([dict(s.attributes or {}) for s in spans.get_finished_spans()], default=str)
    assert BLOCKED not in written and BLOCKED.lower() not in written.lower()
    # the precondition's counterexample names the call's handle where it read the value
    denied = next(e for e in entries if e.kind == "denied")
    assert token in json.dumps(denied.data, ensure_ascii=False), denied.data


def test_values_are_withheld_wherever_a_verdict_holds_them_and_nowhere_else():
    from guards._handles import HandleStore
    from vfa import Label

    store = HandleStore(b"k")
    lbl = Label(readers=frozenset({ME}), sources=frozenset({"contact"}))
    amount = store.mint("t", "c", "$.amount", "amount", 10, lbl, "bank#c:amount")
    record = store.mint("t", "c", "$.who", "who", {"name": "Ann Lee", "iban": BLOCKED}, lbl, "bank#c:who")
    verdict = {"reason": f"amount 10 over 100 (1.10, 10.5) to Ann Lee at {BLOCKED}", "evidence": {
        "amount": 10, "limit": 100, "flag": True, "who": {"name": "Ann Lee", "iban": BLOCKED}, "n": 10.0}}
    out = store.withheld(verdict, "t")
    assert out["reason"] == f"amount {amount} over 100 (1.10, 10.5) to {record} at {record}"
    # a whole value is its handle, a record's too; other numbers stay as they are; 10.0 is the int 10 as
    # a tool typed `float` reads it (validated on the value, it reaches the guards so)
    assert out["evidence"] == {"amount": amount, "limit": 100, "flag": True, "who": record, "n": amount}
    assert store.withheld(verdict, "other-thread") == verdict  # another thread's handles stand for nothing


def test_values_overlapping_in_a_text_are_withheld_with_no_part_left_in_clear():
    """Red team 76: `AB12` and `12CD` both private, a guard writes `AB12CD`: each part is withheld."""
    from guards._handles import HandleStore
    from vfa import Label

    store = HandleStore(b"k")
    lbl = Label(readers=frozenset({ME}), sources=frozenset({"contact"}))
    first = store.mint("t", "c", "$.a", "code", "AB12", lbl, "bank#c:a")
    second = store.mint("t", "c", "$.b", "code", "12CD", lbl, "bank#c:b")
    inner = store.mint("t", "c", "$.c", "code", "Q7ZZ", lbl, "bank#c:c")
    out = store.withheld({"reason": "codes AB12CD, then 12CD and AB12 apart; xQ7ZZx"}, "t")
    assert out == {"reason": f"codes {first}{second}, then {second} and {first} apart; x{inner}x"}
    # a value inside one already covered adds nothing: the whole is one handle, as before
    assert store.withheld("AB12 paid", "t") == f"{first} paid"
    assert store.withheld("nothing private here", "t") == "nothing private here"


def test_a_short_value_is_withheld_where_it_stands_whole_not_inside_words():
    """Red team 77: a one-letter private value ("S") written as its handle inside a guard's own words
    ("Sundays") told the model which letter it was."""
    from guards._handles import HandleStore
    from vfa import Label

    store = HandleStore(b"k")
    lbl = Label(readers=frozenset({ME}), sources=frozenset({"patient"}))
    sex = store.mint("t", "c", "$.sex", "sex", "S", lbl, "clinic#c:sex")
    assert store.withheld("Notes are closed on Sundays", "t") == "Notes are closed on Sundays"
    assert store.withheld("sex S, size M", "t") == f"sex {sex}, size M"


def test_with_a_private_yes_or_no_on_the_thread_every_yes_and_no_is_withheld():
    """Red team 77: a private boolean was written as its handle wherever a guard wrote the same
    boolean, so any unrelated `true` told the model the private one."""
    from guards._handles import WITHHELD, HandleStore
    from vfa import Label

    lbl = Label(readers=frozenset({ME}), sources=frozenset({"patient"}))
    said = {"reason": "frozen is True, open is false", "evidence": {"frozen": True, "open": False, "n": 1}}
    told = []
    for value in (True, False):
        store = HandleStore(b"k")
        store.mint("t", "c", "$.positive", "positive", value, lbl, "clinic#c:positive")
        told.append(store.withheld(said, "t"))
    assert told[0] == told[1] == {"reason": f"frozen is {WITHHELD}, open is {WITHHELD}",
                                  "evidence": {"frozen": WITHHELD, "open": WITHHELD, "n": 1}}
