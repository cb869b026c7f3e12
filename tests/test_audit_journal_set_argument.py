"""Red team 133: a call whose recipients are a set is allowed live and reported by the journal's audit.

Guarantee: the audit of a recorded trace reports the same violations as the live guard. docs/privacy.md: "a set
is journaled as the list of its members" (results), and a call's arguments are journaled as proposed.

How it breaks: the call `send(to={"carol@cpa.example"}, body=<the SSN>)` (a set, which the tool's
`list[str]` accepts: a middleware or a caller in Python hands the node one; a model's JSON never holds
one). Live, the flow reads the set's member, Carol may read the SSN under her grant, and the mail goes.
The guard node journals the arguments with `dumps`, which writes the set by its repr, the text
"{'carol@cpa.example'}"; `trace_from_journal` hands that text on and `audit_trace` reports a `recipient`
violation (an address it cannot read) and a `confidentiality` one for a flow the live guard allowed:
the two disagree, and an operator reading the audit sees a leak that never happened.

Fixed: the journal's encoder writes a set as the list of its members, as `recorded` writes a result's.
"""

from __future__ import annotations

from _audit_trace import found, live_denials
from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, audit_trace, privacy_sink, privacy_source, trace_from_journal
from guards._privacy_decl import PrivacyPolicy
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER, CAROL, SSN = "me@home.example", "carol@cpa.example", "078-05-1120"


def test_the_journal_audit_agrees_with_the_live_guard_on_a_set_of_recipients():
    sent: list = []

    @privacy_sink()
    @privacy_source(private=["ssn"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: list[str], body: str) -> str:
        """Send a message."""
        sent.append(to)
        return "sent"

    policy = PrivacyPolicy.of(USER, grants={CAROL: ["profile.ssn"]})
    journal = EffectJournal()
    flow = PrivacyFlow(policy, secret=b"rt133", journal=journal)
    tools = [get_profile, send]
    model = ScriptedModel([("get_profile", {}), ("send", {"to": {CAROL}, "body": f"ssn {SSN}"}), "done"])
    app = Agent(model, tools, guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("send Carol my SSN")]}, {"configurable": {"thread_id": "t"}})
    assert sent == [[CAROL]] and live_denials(journal) == []
    audit = audit_trace(trace_from_journal(journal, "t", messages=out["messages"]), tools,
                        flow=PrivacyFlow(policy, secret=b"rt133"), thread_id="t")
    assert found(audit) == live_denials(journal), [v.message for v in audit]
