"""An agent that reads a person's SSN in clear, then mails it to bob: the privacy guard asks a person
about the mail (c1), for tests of how answers reach their questions."""

from __future__ import annotations

from typing import Any

from _mail import mail_effect
from langchain_core.messages import AIMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

USER, BOB, SSN = "me@home.example", "bob@family.example", "123-45-6789"


def ssn_mail_agent(saver: Any) -> tuple[Any, list[Any], EffectJournal]:
    """The compiled agent (checkpointed by `saver`), the mails it sent, and its journal."""
    sent: list[Any] = []

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person", handle=False)
    def get_people() -> list:
        """People."""
        return [{"name": "Ann", "ssn": SSN}]

    steps = [("get_people", {}), ("send_email", {"to": [BOB], "body": f"ssn {SSN}"})]

    def rule(messages: list[Any]) -> Any:
        done = sum(m.type == "tool" for m in messages)
        if done < len(steps):
            name, args = steps[done]
            return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"c{done}"}])
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), journal=journal, secret=b"ssn-mail-question")
    app = Agent(ScriptedModel(rule=rule), [get_people, mail_effect(sent)], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=saver)
    return app, sent, journal
