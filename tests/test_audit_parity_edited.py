"""Audit parity: a call a person edited is the same call in the audit (its result's handles minted
under its own id, as live), so a later call using those handles is judged as live (red team 50)."""

from __future__ import annotations

import itertools
from typing import Any

from _audit_trace import audit_journal, journaled_agent
from _mail import mail_effect
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guards import (
    PrivacyFlow,
    PrivacyPolicy,
    privacy_sink,
    privacy_source,
)
from vfa import ALLOW, EffectJournal, Escalate

USER = "me@home.example"


class _Confirm:
    name, tools, timeout_s, inline = "confirm", None, None, True

    def check(self, proposal: Any, context: Any) -> Any:
        return Escalate(question="look this person up?") if proposal.args.get("name") == "ann" else ALLOW


def _tools(sent: list) -> list:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person")
    def lookup(name: str) -> dict:
        """A person's record."""
        return {"name": name, "ssn": "123-45-6789"}

    send_email = mail_effect(sent)

    return [lookup, send_email]


def test_audit_of_an_edited_call_keeps_the_handles_its_result_showed() -> None:
    sent: list = []
    ids = itertools.count()

    def rule(messages: list[Any]) -> Any:
        tools = [m for m in messages if isinstance(m, ToolMessage)]
        if not tools:
            return AIMessage("", tool_calls=[{"name": "lookup", "args": {"name": "ann"}, "id": f"c{next(ids)}"}])
        if len(tools) == 1:
            import json
            ssn = json.loads(tools[0].content)["ssn"]  # the handle the model was shown
            return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": [USER], "body": ssn},
                                              "id": f"c{next(ids)}"}])
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s", journal=journal)
    app = journaled_agent(rule, _tools(sent), flow, journal, guards=[_Confirm()], checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("Look up ann, then mail me her SSN.")]}, cfg)
    out = app.invoke(Command(resume={"type": "edit", "args": {"name": "bob"}}), cfg)
    assert len(sent) == 1 and sent[0]["body"] == "123-45-6789"  # live: allowed (the user reads it)
    by_journal = audit_journal(journal, out["messages"], _tools([]), PrivacyFlow(PrivacyPolicy.of(USER), secret=b"s"))
    assert by_journal == [], [v.message for v in by_journal]
