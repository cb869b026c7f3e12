"""What the audit-parity tests share: an agent whose privacy flow journals each call, what its live guard
denied, and the audit of its journal."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, audit_trace, trace_from_journal, trace_from_messages
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel


def journaled_agent(rule: Any, tools: list[Any], flow: Any, journal: Any, *, guards: Any = (),
                    checkpointer: Any = None) -> Any:
    """The compiled agent scripted by `rule`: `guards`, then `flow`'s guard, each call journaled in `journal`."""
    return Agent(ScriptedModel(rule=rule), tools, guards=[*guards, flow.guard()], flow=flow,
                 journal=journal).compile(checkpointer=checkpointer)


def journaled_run(rule: Any, tools: list[Any], policy: Any, prompt: str) -> tuple[list[Any], Any]:
    """One run of the agent scripted by `rule` on thread "t", asked `prompt`, under a privacy flow over `policy`
    (secret b"s") journaling each call in a fresh journal: the run's messages and the journal."""
    journal = EffectJournal()
    app = journaled_agent(rule, tools, PrivacyFlow(policy, secret=b"s", journal=journal), journal)
    out = app.invoke({"messages": [HumanMessage(prompt)]}, {"configurable": {"thread_id": "t"}})
    return out["messages"], journal


def live_denials(journal: Any, thread: str = "t") -> list[tuple[str, str, str]]:
    """The (call id, rule, argument) of each violation the live privacy guard denied on `thread`, sorted."""
    return sorted((e.call_id, v["rule"], v["arg"]) for e in journal.entries(thread) if e.kind == "denied"
                  for v in e.data["evidence"]["_violations"])


def audit_journal(journal: Any, messages: list[Any], tools: list[Any], flow: Any, thread: str = "t") -> list[Any]:
    """What `audit_trace` finds in the journal of `thread` (read with its messages) under `flow`, a new flow
    over the live one's policy and secret."""
    return audit_trace(trace_from_journal(journal, thread, messages=messages), tools, flow=flow, thread_id=thread)


def audit_messages(messages: list[Any], tools: list[Any], flow: Any, thread: str = "t") -> list[Any]:
    """What `audit_trace` finds in `messages` (the conversation of `thread`) under `flow`, a new flow over the
    live one's policy and secret."""
    return audit_trace(trace_from_messages(messages), tools, flow=flow, thread_id=thread)


def found(violations: list[Any]) -> list[tuple[str, str, str]]:
    """The (call id, rule, argument) of each violation an audit found, sorted, to compare with `live_denials`."""
    return sorted((v.call_id, v.rule, v.arg) for v in violations)
