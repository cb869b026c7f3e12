"""Scripted runs for the tests of how a policy names people: Ann's SSN (private, `person.ssn`) mailed to someone or published, under a policy."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage

from _mail import mail_effect

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

SSN = "123-45-6789"


def ssn_run(policy: PrivacyPolicy, step: tuple[str, dict[str, Any]]) -> tuple[str, list[Any]]:
    """Read Ann's SSN in clear, then run `step` (`send_email(to, body)` or `post_public(text)`): its outcome
    and what was sent or posted."""

    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person", handle=False)
    def get_people() -> list:
        """People."""
        return [{"name": "Ann", "ssn": SSN}]

    sent: list[Any] = []

    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    @effect
    def post_public(text: str) -> str:
        """Post publicly."""
        sent.append(text)
        return "posted"

    flow = PrivacyFlow(policy, secret=b"policy-people")
    app = Agent(ScriptedModel([("get_people", {}), step]), [get_people, mail_effect(sent), post_public],
                guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Send the SSN of Ann as I said.")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"], sent


def mail_ssn(to: str) -> tuple[str, dict[str, Any]]:
    return ("send_email", {"to": [to], "body": f"Ann's SSN is {SSN}"})


PUBLISH_SSN = ("post_public", {"text": f"Ann's SSN is {SSN}"})
