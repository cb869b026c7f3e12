"""Audit parity: a tool error shown to the model as one derived handle is journaled with the error as
the tool raised it too, so the audit mints the same handle and judges a later call holding it as live
did (red team 50)."""

from __future__ import annotations

from typing import Any

from _audit_trace import audit_journal, journaled_agent
from _mail import mail_effect
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import (
    PrivacyFlow,
    PrivacyPolicy,
    privacy_sink,
    privacy_source,
)
from vfa import EffectJournal

USER = "me@home.example"
SSN = "123-45-6789"


def _tools(sent: list) -> list:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person")
    def lookup(name: str) -> dict:
        """A person's record."""
        return {"name": name, "ssn": SSN}

    @privacy_sink()
    @privacy_source()
    def check(name: str) -> str:
        """Checks a person; fails quoting the SSN."""
        raise ValueError(f"no tax record for SSN {SSN}")

    send_email = mail_effect(sent)

    return [lookup, check, send_email]


def test_audit_knows_the_handle_a_tool_error_was_shown_as() -> None:
    sent: list = []
    steps = [("lookup", {"name": "ann"}), ("check", {"name": "ann"})]

    def rule(messages: list[Any]) -> Any:
        tools = [m for m in messages if isinstance(m, ToolMessage)]
        if len(tools) < 2:
            name, args = steps[len(tools)]
            return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"c{len(tools)}"}])
        if len(tools) == 2:
            shown = tools[1].content.split("failed: ", 1)[1]  # the error, shown as one handle
            assert shown.startswith("«") and SSN not in shown
            return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": [USER], "body": shown}, "id": "c2"}])
        return "done"

    journal = EffectJournal()
    app = journaled_agent(rule, _tools(sent), PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s", journal=journal),
                          journal)
    out = app.invoke({"messages": [HumanMessage("Check ann, then mail me what it says.")]},
                     {"configurable": {"thread_id": "t"}})
    assert len(sent) == 1  # live: allowed (the user reads it)
    by_journal = audit_journal(journal, out["messages"], _tools([]), PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s"))
    assert by_journal == [], [v.message for v in by_journal]


def test_no_cause_is_kept_for_a_tool_given_a_resolved_value() -> None:
    """A tool given what a handle stands for may quote any part of it in its error (a field, a line, a
    shortened repr): the journal keeps only the error as shown, never as raised (handles, never values)."""
    sent: list = []

    @privacy_sink(internal=["ssn"])
    @privacy_source()
    def check_ssn(ssn: str) -> str:
        """Checks an SSN; fails quoting a part of it."""
        raise ValueError(f"no record ending {ssn[-7:]}")

    def rule(messages: list[Any]) -> Any:
        tools = [m for m in messages if isinstance(m, ToolMessage)]
        if not tools:
            return AIMessage("", tool_calls=[{"name": "lookup", "args": {"name": "ann"}, "id": "c0"}])
        if len(tools) == 1:
            handle = tools[0].content.split('"ssn": "', 1)[1].split('"', 1)[0]
            return AIMessage("", tool_calls=[{"name": "check_ssn", "args": {"ssn": handle}, "id": "c1"}])
        return "done"

    journal = EffectJournal()
    app = journaled_agent(rule, [*_tools(sent)[:1], check_ssn],
                          PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s", journal=journal), journal)
    app.invoke({"messages": [HumanMessage("Check ann's SSN.")]}, {"configurable": {"thread_id": "t"}})
    failed = [e for e in journal.entries("t") if e.kind == "failed"]
    assert len(failed) == 1 and "cause" not in failed[0].data and "45-6789" not in failed[0].data["error"]
