"""The scenario the answer-slot tests share: a person who may be asked, a record holding an SSN, and a
mail tool; each test adds the tool whose question (or refusal) comes first in a turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from _mail import mail_effect
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

USER, BOB, EVE, SSN = "me@home.example", "bob@family.example", "eve@evil.example", "123-45-6789"


def people_and_mail(sent: list[Any]) -> list[Any]:
    """`get_people` (Ann's SSN, private, shown in clear) and `send_email` (its body disclosed to `to`)."""

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person", handle=False)
    def get_people() -> list:
        """People."""
        return [{"name": "Ann", "ssn": SSN}]

    return [get_people, mail_effect(sent)]


def asking_agent(turns: Sequence[Any], tools: list[Any], guards: Sequence[Any] = ()) -> Any:
    """An agent whose privacy guard asks a person (`on_violation="ask"`), after `guards`, checkpointed."""
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), journal=journal)
    return Agent(ScriptedModel(turns), tools, guards=[*guards, flow.guard()], flow=flow,
                 journal=journal).compile(checkpointer=InMemorySaver())
