"""The tools the echo tests share: a draft a sink keeps (its body its recipient's to read) and a send."""

from __future__ import annotations

from typing import Any

from guards import privacy_sink, privacy_source
from vfa import effect


def save_draft_tool() -> Any:
    """save_draft: a sink that keeps its arguments, sending nothing on; its result's body is its recipient's."""

    @privacy_sink(internal=["to", "body"])
    @privacy_source(private=["body"], readers_from=["to"], kind="draft", key="id")
    def save_draft(to: str, body: str) -> dict:
        """Save a draft (kept, sent to nobody); its body is its recipient's to read."""
        return {"id": "d1", "to": to, "body": body}

    return save_draft


def send_tool(sent: list[tuple[str, str]]) -> Any:
    """send: an effect whose body is disclosed to `to`, recording what it sent in `sent`."""

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: str, body: str) -> str:
        """Send a message."""
        sent.append((to, body))
        return "sent"

    return send
