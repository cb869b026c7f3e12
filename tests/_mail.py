"""The mail effects the privacy tests share: `send_email(to, body)` and `send(to, body)`, the body disclosed to `to`,
and `send_email(to, subject, body)`, its subject too."""

from __future__ import annotations

from typing import Any

from guards import privacy_sink, privacy_source
from vfa import effect


def mail_effect(sent: list[Any]) -> Any:
    """An `Agent`'s `send_email(to, body)` effect: the body disclosed to `to`, which needs the user's authority;
    each mail it sends appended to `sent` as {"to", "body"}."""

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    @effect
    def send_email(to: list[str], body: str) -> str:
        """Send a mail."""
        sent.append({"to": to, "body": body})
        return "sent"

    return send_email


def subject_mail(sent: list[Any]) -> Any:
    """An `Agent`'s `send_email(to, subject, body)` effect: the subject and body disclosed to `to`, which needs
    the user's authority; the body of each mail it sends appended to `sent`."""

    @privacy_sink(disclose={"subject": "to", "body": "to"}, authority=["to"])
    @privacy_source()
    @effect
    def send_email(to: list[str], subject: str, body: str) -> str:
        """Send an email."""
        sent.append(body)
        return "sent"

    return send_email


def message_send(sent: list[Any]) -> Any:
    """An `Agent`'s `send(to, body)` effect: the body disclosed to `to` (no authority asked of `to`); each
    message it sends appended to `sent` as {"to", "body"}."""

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: list[str], body: str) -> str:
        """Send a message."""
        sent.append({"to": to, "body": body})
        return "sent"

    return send
