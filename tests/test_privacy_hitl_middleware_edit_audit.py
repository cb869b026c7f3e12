"""Red team 105: the conversation audit missed a disclosure that ran after a `HumanInTheLoopMiddleware` edit.

Attack / scenario: a `create_agent` app with `HumanInTheLoopMiddleware` reviewing `send_email`, then
`GuardMiddleware` with a privacy flow (`on_violation="ask"`). The model reads the user's profile and
proposes mailing the SSN (as a handle) to the user. The reviewer edits the recipient to
carol@work.example; vfa's privacy guard asks about the edited call, a person approves, and the SSN
is mailed to Carol. The state's AIMessage still holds the model's call (to the user): LangChain keeps
the reviewer's call in private state (`hitl_edited_tool_calls`) and only prepends a note to the
result, and the gate's tool message records no `args` for the call that ran (vfa's own edits do).

Expected (docs/privacy.md, Audit): `audit_trace` "reports every flow the policy forbids, also those a person
approved", and `trace_from_messages` checks "a person's edit, which the message records as `args`
... as edited too". The journal audit reports the SSN going to Carol; the audit of the same
conversation's messages must report it too.

Observed: `audit_trace(trace_from_messages(messages))` reports nothing: the only disclosure of the
run, to someone the policy does not allow, is missing from the conversation audit (it checks the
model's call to the user). `trace_from_journal` also journals the reviewer's call as the `proposed`
one, as though the model had written it.

Fixed: the gate tells a reviewer's edit from the model's call (the edit `HumanInTheLoopMiddleware` keeps
in the state for the call is the call the gate got, and the turn's message holds the model's):
`GuardNode.handle(..., reviewed_from=...)` journals the model's call beside the proposal ("written")
and records the call as it reached the guards in its message ("reviewed"), so both `trace_from_*`
give the audit the call as edited, with the model's as "written".

Where: `graphs/_gate.py` (`GatedTool._split` / `ToolGate.settle`: the request's `tool_call` a
middleware replaced is handed to `GuardNode.handle` as the model's proposal, with no `edited_from`
and no `args` in the message's artifact), read by `guards/_audit.py` `trace_from_messages`.
"""

from __future__ import annotations

import json
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_journal, trace_from_messages
from vfa.testing import ScriptedModel

ME, CAROL, SSN = "me@home.example", "carol@work.example", "078-05-1120"


def test_a_disclosure_after_a_hitl_edit_is_in_the_conversation_audit():
    sent: list[Any] = []

    @tool
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    def rule(ms: list[Any]) -> Any:
        results = [m for m in ms if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "id": "p", "args": {}}])
        if len(results) == 1:
            ssn = json.loads(results[0].content)["ssn"]
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "m", "args": {"to": ME, "body": f"ssn {ssn}"}}])
        return "done"

    policy = PrivacyPolicy.of(ME, on_violation="ask")
    tools = [get_profile, send_email]
    flow = PrivacyFlow(policy, secret=b"rt105")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["get_profile"])
    app = create_agent(ScriptedModel(rule=rule), tools, checkpointer=InMemorySaver(),
                       middleware=[HumanInTheLoopMiddleware(interrupt_on={"send_email": True}), mw])
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("Mail my SSN to myself")]}, cfg)
    body = out["__interrupt__"][0].value["action_requests"][0]["args"]["body"]
    out = app.invoke(Command(resume={"decisions": [
        {"type": "edit", "edited_action": {"name": "send_email", "args": {"to": CAROL, "body": body}}}]}), cfg)
    assert "carol" in out["__interrupt__"][0].value["question"]  # vfa asks about the edited call
    out = app.invoke(Command(resume={"type": "approve"}), cfg)
    assert sent == [(CAROL, f"ssn {SSN}")]  # the disclosure happened (approved)

    def to_carol(trace: list[dict[str, Any]]) -> list[Any]:
        found = audit_trace(trace, tools, policy, flow=PrivacyFlow(policy, secret=b"rt105"), thread_id="t")
        return [v for v in found if v.rule == "confidentiality" and CAROL in v.recipients]

    assert to_carol(trace_from_journal(mw.journal, "t", messages=out["messages"]))  # the journal audit sees it
    assert to_carol(trace_from_messages(out["messages"])), "the conversation audit misses the SSN mailed to Carol"
