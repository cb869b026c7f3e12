"""Red team 106: after a per-call `HumanInTheLoopMiddleware` edit, the audit of the messages checks a call that never ran.

Scenario (honest run): `HumanInTheLoopMiddleware(interrupt_on={"send_email": True},
interrupt_mode="per_call")` before `GuardMiddleware` with a privacy flow. The model read a partner's
page (untrusted) and proposes mailing the lead it names; the reviewer edits the recipient to the
user's own mailbox. Live, the gate judges the edited call (to the user) and it commits; the journal
audit agrees (no violation).

Expected: `trace_from_messages` audits the call as it ran, as it does in batched mode (control): no
violation. Per call, the gate's message records no "reviewed" call (the edit never reached the state
key `_reviewed_from` reads), so the audit of the messages checks the model's call to the lead, which
never ran, and reports an `integrity` violation live never had: live and audit disagree.

Fixed. A call that reached the gate changed from what its turn's message shows (any middleware's
rewrite) is recorded in its message as checked ("reviewed", with the model's call as "written" only
for a reviewer's edit the state holds), so `trace_from_messages` checks the call the guards checked.

Where: `graphs/_gate.py` `_reviewed_from` (batched-mode state key only) -> `vfa/_guard_node.py`
`_handle` (records `info["reviewed"]` only with `reviewed_from`), `guards/_audit.py`
`trace_from_messages` / `_reviewed`.
"""

from __future__ import annotations

from typing import Any

import pytest
from _web_mail import mail_to, web_page
from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs import GuardMiddleware
from guards import (
    PrivacyFlow,
    PrivacyPolicy,
    audit_trace,
    trace_from_journal,
    trace_from_messages,
)
from vfa.testing import ScriptedModel

ME, BOB, LEAD = "me@home.example", "bob@partner.example", "lead@partner.example"
ASK = "Ask the partner's sales lead (see https://partner.example) for a quote"


@pytest.mark.parametrize("mode", ["batched", "per_call"])
def test_the_audit_of_the_messages_checks_the_edited_call_that_ran(mode: str):
    sent: list[Any] = []

    browse = web_page(f"Contact our sales lead {BOB} or {LEAD} for a quote.")

    send_email = mail_to(sent)

    def rule(ms: list[Any]) -> Any:
        n = sum(m.type == "tool" for m in ms)
        if n == 0:
            return AIMessage("", tool_calls=[{"name": "browse", "id": "b1", "args": {"url": "https://partner.example"}}])
        if n == 1:
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m1",
                                              "args": {"to": LEAD, "body": "please send a quote"}}])
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt106")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["browse"])
    hitl = HumanInTheLoopMiddleware(interrupt_on={"send_email": True}, interrupt_mode=mode)
    app = create_agent(ScriptedModel(rule=rule), [browse, send_email], middleware=[hitl, mw],
                       checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [HumanMessage(ASK)]}, cfg)
    edit = {"type": "edit", "edited_action": {"name": "send_email", "args": {"to": ME, "body": "please send a quote"}}}
    out = app.invoke(Command(resume={"decisions": [edit]} if mode == "batched" else edit), cfg)
    assert sent == [(ME, "please send a quote")]  # live: the edited call ran
    policy, tools = PrivacyPolicy.of(ME), [browse, send_email]
    assert audit_trace(trace_from_journal(mw.journal, "t", messages=out["messages"]), tools, policy, thread_id="t") == []
    found = audit_trace(trace_from_messages(out["messages"]), tools, policy, thread_id="t")
    assert found == [], [v.rule for v in found]
