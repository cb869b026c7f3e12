"""The pay-by-handle scenario the value-judging tests share: the landlord's IBAN is private, so the model
reads it as a handle and pays by that handle; each test writes its own `pay` body."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"
IBAN = "DE89370400440532013000"


def get_contacts(iban: Any = IBAN) -> Any:
    """`get_contacts`: the landlord, its `iban` private (shown to the model as a handle)."""

    @privacy_source(private=["iban"], kind="contact")
    def get_contacts() -> list:
        """The user's contacts."""
        return [{"name": "Landlord", "iban": iban}]

    return get_contacts


def payment(fn: Any) -> Any:
    """`fn` as the scenario's `pay` effect: its iban and amount internal, both needing the user's authority."""
    return privacy_sink(internal=["iban", "amount"], authority=["iban", "amount"])(privacy_source()(effect(fn)))


def pay_by_handle(*amounts: Any) -> Any:
    """A scripted-model rule: read the contacts, then pay the landlord's handle once per amount in `amounts`."""

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_contacts", {})
        if turn <= len(amounts):
            contacts = next(m for m in messages if isinstance(m, ToolMessage) and m.name == "get_contacts")
            return ("pay", {"iban": json.loads(contacts.content)[0]["iban"], "amount": amounts[turn - 1]})
        return "done"

    return rule


def landlord_agent(pay: Any, *amounts: Any, secret: bytes, iban: Any = IBAN, guards: Any = (),
                   checkpointer: Any = None, **agent: Any) -> Any:
    """The compiled agent paying the landlord by handle (see `pay_by_handle`) with `pay`, the privacy guard
    first, then `guards`; `agent` goes to `Agent` (a fresh journal unless one is given)."""
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=secret)
    agent.setdefault("journal", EffectJournal())
    return Agent(ScriptedModel(rule=pay_by_handle(*amounts)), [get_contacts(iban), pay],
                 guards=[flow.guard(), *guards], flow=flow, **agent).compile(checkpointer=checkpointer)
