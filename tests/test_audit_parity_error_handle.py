"""Audit parity: a tool error shown to the model as one derived handle is journaled with the error as
the tool raised it too, so the audit mints the same handle and judges a later call holding it as live
did (red team 50)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from test_privacy_integrity import mail_effect

from guards import (
    PrivacyFlow,
    PrivacyPolicy,
    audit_trace,
    privacy_sink,
    privacy_source,
    trace_from_journal,
)
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

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
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s", journal=journal)
    app = Agent(ScriptedModel(rule=rule), _tools(sent), guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("Check ann, then mail me what it says.")]},
                     {"configurable": {"thread_id": "t"}})
    assert len(sent) == 1  # live: allowed (the user reads it)
    trace = trace_from_journal(journal, "t", messages=out["messages"])
    found = audit_trace(trace, _tools([]), flow=PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s"), thread_id="t")
    assert found == [], [v.message for v in found]


def test_a_cause_keeps_no_resolved_value() -> None:
    """The cause journaled beside a shown error writes each value the flow resolved back as its handle."""
    from vfa._guard_node import _unresolved

    proposed = {"key": "«ssn:0123456789abcdef»", "tags": ["a", "«n:fedcba9876543210»"]}
    resolved = {"key": "078-05-1120", "tags": ["a", 4711]}
    text = "KeyError: 078-05-1120 (tags a, 4711) for ann"
    assert _unresolved(text, proposed, resolved) == "KeyError: «ssn:0123456789abcdef» (tags a, «n:fedcba9876543210») for ann"
    assert _unresolved(text, proposed, None) == text  # nothing resolved: nothing to write back


@pytest.mark.parametrize(("proposed", "resolved", "text", "private"), [
    ({"body": "ssn «ssn:fedcbafedcbafedc» please"}, {"body": "ssn 078-05-1120 please"},
     "ValueError: invalid SSN 078-05-1120", "078-05-1120"),  # a handle inside longer text, quoted alone
    ({"note": "«n:fedcbafedcbafedc»"}, {"note": "ann\nSSN 078-05-1120"},
     "ValueError: bad note 'ann\\nSSN 078-05-1120'", "078-05-1120"),  # quoted by its repr
    ({"amount": "«a:fedcbafedcbafedc»"}, {"amount": 1234567}, "ValueError: amount 1,234,567 over", "234"),
    ({"amount": "«a:fedcbafedcbafedc»"}, {"amount": 1234567}, "ValueError: amount 1234567.0 over", "234"),
])
def test_a_cause_keeps_no_resolved_value_however_quoted(proposed: Any, resolved: Any, text: str, private: str) -> None:
    from vfa._guard_node import _unresolved

    assert private not in _unresolved(text, proposed, resolved)
