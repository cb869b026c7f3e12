"""A call an earlier approval covers in part cites that approval too, as one it covers whole does.

A person approves a mail of the user's phone number to Alice "for this recipient". The model then reads
the inbox (untrusted: Alice's address is in it) and mails Alice the phone number again: the phone is
covered, but the recipient may now come from the inbox, so the privacy guard asks about the recipient
alone, and the person approves that once. Both audits report both flows of the second mail (the phone
to Alice, and the recipient), as they must ("also those a person approved"). The docs/privacy.md says the
journal ties each to a person's word: "the journal's `approved` entries say which, and the verdicts of
a call an earlier approval covered cite it". The second call's own approval answered a question that
named only the recipient; its verdicts named neither the phone nor the approval that covered it (only a
call covered whole, an `allow`, cited its approvals). So the phone number reached Alice on the second
call with nothing in the journal saying on whose word, and the audit's finding for it matched no
verdict of the live guard (found by a differential fuzz of the audits against the live guard).

Fixed: the privacy guard's question carries "approved" (the approvals that covered part of the call).
"""

from __future__ import annotations

import json
from typing import Any

from _approvals import approving_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.types import Command

from benchmarks.privacy.world import ALICE, POLICY, USER, World
from guards import APPROVE_FOR_RECIPIENT, PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal
from vfa import EffectJournal
from vfa.testing import ScriptedModel


def _rule(messages: list[Any]) -> Any:
    turn = sum(isinstance(m, AIMessage) for m in messages)
    shown = json.loads(next(m.content for m in messages if isinstance(m, ToolMessage))) if turn else {}
    if turn == 0:
        return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
    if turn == 1:
        return AIMessage("", tool_calls=[{"name": "send_email", "id": "c2",
                                          "args": {"to": [ALICE], "subject": "phone", "body": shown["phone"]}}])
    if turn == 2:
        return AIMessage("", tool_calls=[{"name": "read_inbox", "args": {}, "id": "c3"}])
    if turn == 3:
        return AIMessage("", tool_calls=[{"name": "send_email", "id": "c4",
                                          "args": {"to": [ALICE], "subject": "phone", "body": shown["phone"]}}])
    return "done"


def test_a_partly_covered_call_cites_the_approval_that_covered_the_rest() -> None:
    world, journal = World(""), EffectJournal()
    app = approving_agent(ScriptedModel(rule=_rule), world.tools(), journal)
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("Mail Alice my phone number.")]}, cfg)
    out = app.invoke(Command(resume=APPROVE_FOR_RECIPIENT), cfg)  # the phone to Alice, for this recipient
    asked = out["__interrupt__"][0].value
    assert asked["call_id"] == "c4" and [(v["rule"], v["arg"]) for v in asked["evidence"]["violations"]] == [
        ("integrity", "to")]
    out = app.invoke(Command(resume={"type": "approve"}), cfg)  # the recipient, once
    assert len(world.sent) == 2
    policy = PrivacyPolicy.of(USER, grants=POLICY.grants, on_violation="ask")
    found = audit_trace(trace_from_journal(journal, "t", messages=out["messages"]), world.tools(),
                        flow=PrivacyFlow(policy, secret=b"x"), thread_id="t")
    assert ("c4", "body") in {(v.call_id, v.arg) for v in found}  # the phone, on the second call too
    # the second call's verdicts tie that flow to the approval that covered it
    verdicts = [e.data for e in journal.entries("t", call_id="c4") if e.kind == "verdicts"]
    assert verdicts and all('"call": "c2"' in json.dumps(v) for v in verdicts), verdicts
