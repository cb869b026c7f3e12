"""The messages audit of a guarded run raises `TraceError` where the model wrote a call with no id.

The model chooses its calls' ids, and LangChain's `ToolCall` allows `"id": None`. The guard node refuses such a
call before any guard ("has no id") and answers it with a tool message marked `"by": "node"`, whose
`tool_call_id` is "" (`GuardNode._refuse(..., reply_to="")`). `trace_from_messages` looks the call's answer up
by `str(call["id"])`, "None", finds none, and emits the call as one still waiting for its result; `audit_trace`
then raises `TraceError: event 3: a call without an id`. The docs/privacy.md: a call a guard node refused before any guard
is left out of the audit, as live. An app that audits its logs gets an error instead of the (clean) report the
live guard and the journal's audit give for the same run.

Fixed: `trace_from_messages` looks a call without an id up under "", as the node answers it.
"""

from __future__ import annotations

from typing import Any

from _audit_trace import audit_journal, found
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from benchmarks.privacy.world import BOB, POLICY, World
from guards import PrivacyFlow, audit_trace, trace_from_messages
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel


def _rule(messages: list[Any]) -> Any:
    turn = sum(isinstance(m, AIMessage) for m in messages)
    if turn == 0:
        return AIMessage("", tool_calls=[{"name": "send_email", "id": None,
                                          "args": {"to": [BOB], "subject": "hi", "body": "See you Friday."}}])
    return "done"


def test_the_messages_audit_leaves_out_a_call_without_id_the_node_refused() -> None:
    world, journal = World(), EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    app = Agent(ScriptedModel(rule=_rule), world.tools(), guards=[flow.guard()], flow=flow, journal=journal).compile()
    messages = app.invoke({"messages": [HumanMessage("Say hi to Bob.")]}, {"configurable": {"thread_id": "t"}})["messages"]
    refusal = next(m for m in messages if isinstance(m, ToolMessage))
    assert refusal.artifact["vfa"]["by"] == "node" and world.sent == []  # refused before any guard
    assert found(audit_journal(journal, messages, World().tools(), PrivacyFlow(POLICY, secret=b"s"))) == []
    assert found(audit_trace(trace_from_messages(messages), World().tools(), POLICY)) == []
