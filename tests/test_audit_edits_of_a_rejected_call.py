"""A call that ends rejected after a person's edits keeps, in its tool message, the edits its guards checked.

Live, every edit a person gives is checked by the privacy guard (and asked about: the SSN to mallory),
and the audit of the journal reports each check. The audit of the messages knows an edit only from the
call's tool message (`args`, `edits`). Two endings dropped them: an edit the tool's schema refused after
an earlier edit the guards checked ("the edited arguments were invalid"), and, when another call of the
same turn is asked about afterwards, the replay of a call that ended after too many edits ("not committed
after 3 edits", rebuilt from the journal on resume). The audit of the messages then checked the call only
as the model proposed it and missed the edit that would have mailed the SSN to mallory, which the live
guard asked about: the two audits, and the live guard, disagree on what happened.

Fixed: an invalid edit and the replay of a rejected call attach the edits its guards checked (`_with_edits`).
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from benchmarks.privacy.world import ATTACKER, BOB, USER, World
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal, trace_from_messages
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

POLICY = PrivacyPolicy.of(USER, on_violation="ask")


def _rule(second: bool) -> Any:
    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if turn == 1:
            ssn = json.loads([m for m in messages if isinstance(m, ToolMessage)][-1].content)["ssn"]
            calls = [{"name": "send_email", "id": "c2", "args": {"to": [BOB], "subject": "x", "body": ssn}}]
            if second:  # another call of the turn, asked about after c2 ended
                calls.append({"name": "send_email", "id": "c3", "args": {"to": [BOB], "subject": "z", "body": ssn}})
            return AIMessage("", tool_calls=calls)
        return "done"
    return rule


def _run(answer: Any, second: bool) -> tuple[list, list, list]:
    """Run, answering c2's questions with `answer(k, ssn_handle)` and any other's with a rejection; the live
    guard's verdicts and both audits' findings, each as (call, rule, argument, recipients)."""
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    app = Agent(ScriptedModel(rule=_rule(second)), World("").tools(), guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("Mail my SSN to Bob.")]}, cfg)
    ssn = next(e for e in journal.entries("t") if e.kind == "proposed" and e.call_id == "c2").data["args"]["body"]
    k = 0
    while out.get("__interrupt__"):
        q = out["__interrupt__"][0]
        a = answer(k, ssn) if q.value["call_id"] == "c2" else {"type": "reject"}
        k += q.value["call_id"] == "c2"
        out = app.invoke(Command(resume={q.id: a}), cfg)
    messages = app.get_state(cfg).values["messages"]
    # each arguments the live guard checked (the proposal, each edit; checked again on resume, once)
    seen, rounds = set(), 0
    for e in journal.entries("t"):
        rounds += e.call_id == "c2" and e.kind in ("proposed", "edited")
        if e.kind == "verdicts":
            seen |= {(e.call_id, rounds if e.call_id == "c2" else 0, v["rule"], v["arg"], tuple(v["recipients"]))
                     for d in e.data["decisions"] if d["verdict"]["kind"] == "escalate"
                     for v in d["verdict"]["evidence"]["_violations"]}
    live = sorted(x[:1] + x[2:] for x in seen)
    key = lambda vs: sorted((v.call_id, v.rule, v.arg, v.recipients) for v in vs)  # noqa: E731
    by_journal = key(audit_trace(trace_from_journal(journal, "t", messages=messages), World("").tools(),
                                 flow=PrivacyFlow(POLICY, secret=b"s"), thread_id="t"))
    by_messages = key(audit_trace(trace_from_messages(messages), World("").tools(),
                                  flow=PrivacyFlow(POLICY, secret=b"s"), thread_id="t"))
    return live, by_journal, by_messages


def _to_mallory(k: int, ssn: str) -> dict[str, Any]:
    return {"type": "edit", "args": {"to": [ATTACKER], "subject": "y", "body": "SSN " + ssn}}


def _then_invalid(k: int, ssn: str) -> dict[str, Any]:
    # the first edit is checked (and asked about); the second leaves out the subject: the schema refuses it
    return _to_mallory(k, ssn) if k == 0 else {"type": "edit", "args": {"to": [ATTACKER], "body": "hi"}}


def test_an_invalid_edit_after_a_checked_one_keeps_the_checked_edit() -> None:
    live, by_journal, by_messages = _run(_then_invalid, second=False)
    assert ("c2", "confidentiality", "body", (ATTACKER,)) in live
    assert by_journal == live
    assert by_messages == live, by_messages


def test_a_replayed_invalid_edit_keeps_the_checked_edit() -> None:
    live, by_journal, by_messages = _run(_then_invalid, second=True)
    assert ("c2", "confidentiality", "body", (ATTACKER,)) in live
    assert by_journal == live
    assert by_messages == live, by_messages


def test_a_replayed_call_rejected_after_too_many_edits_keeps_its_edits() -> None:
    live, by_journal, by_messages = _run(_to_mallory, second=True)
    assert ("c2", "confidentiality", "body", (ATTACKER,)) in live
    assert by_journal == live
    assert by_messages == live, by_messages


def test_a_call_rejected_after_too_many_edits_keeps_its_edits() -> None:
    live, by_journal, by_messages = _run(_to_mallory, second=False)
    assert by_messages == by_journal == live
