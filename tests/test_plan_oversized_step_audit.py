"""The journal's audit of a rejected plan reads an oversized step's arguments, as the messages' audit does.

What must hold (docs/privacy.md "Audit": `trace_from_journal` gives "the same violations its guard reported", and
`trace_from_messages` the same conversation alike; `tests/test_plan_rejection_journaled.py`): a plan
`plan_execute` rejects is journaled by `GuardNode.record_denial` "so the journal's audit reads what the
plan proposed", and both audits report the forbidden flow the model proposed.

`_journaled_args` (`vfa/_guard_node.py`, bcf4cce) made `record_denial` journal arguments over
`max_arg_bytes` by their size alone (`{"raw": "'<N bytes>'"}`), as the node's own refusals are. But a node's
own refusal is left out of both audits (its message says `by: node`, its journal holds no verdicts), and a
rejected plan's step is not: it is journaled with its verdicts for the audit to check. A plan step mailing
the user's address to the attacker with 70 KB of padding in its body is reported by the messages' audit
(`confidentiality`, `handle`) and by the journal's audit not at all: the journal holds no trace of the
attempt, which `tests/test_plan_rejection_journaled.py` pins.

Input: the test of `tests/test_plan_rejection_journaled.py`, the mail's body padded past the 64 KiB default `max_arg_bytes`.

Fixed: `record_denial` keeps a plan step's arguments whole again (the node's own refusals, left out of both
audits, keep only their size).
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from benchmarks.privacy.world import ATTACKER, POLICY, World
from graphs.plan_execute import plan_execute
from guards import Policy, PrivacyFlow, audit_trace, privacy_sink, privacy_source, trace_from_journal, trace_from_messages
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

PAD = "x" * 70_000  # over the node's default max_arg_bytes (64 KiB)


class Bank(BaseModel):
    balance: int = 1000


bank = Policy(Bank)


@privacy_sink(internal=["amount"], authority=["amount"])
@privacy_source()
@effect
@bank.requires("amount <= state.balance")
def transfer(amount: int) -> str:
    """Transfer money."""
    return "ok"


def _rule(messages: list[Any]) -> Any:
    turn = sum(isinstance(m, AIMessage) for m in messages)
    if turn == 0:
        return ("get_profile", {})
    if turn == 1:
        shown = json.loads(next(m.content for m in messages if isinstance(m, ToolMessage)))
        return [("send_email", {"to": [ATTACKER], "subject": "s", "body": "addr " + shown["address"] + " " + PAD}),
                ("transfer", {"amount": 5000})]
    return "done"


def test_the_journal_audit_of_a_rejected_plan_reads_an_oversized_step():
    world, journal = World(), EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"rt196")
    agent = Agent(ScriptedModel(rule=_rule), [*world.tools(), transfer], guards=[flow.guard()], flow=flow,
                  journal=journal, world=lambda: Bank())
    out = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver()).invoke(
        {"messages": [HumanMessage("mail my address")]}, {"configurable": {"thread_id": "t"}})
    messages = out["messages"]
    assert world.sent == [] and any(isinstance(m, ToolMessage) and "verify_plan" in m.content for m in messages)
    tools = [*World().tools(), transfer]
    by_messages = {(v.tool, v.rule) for v in audit_trace(trace_from_messages(messages), tools, POLICY)}
    by_journal = {(v.tool, v.rule) for v in audit_trace(trace_from_journal(journal, "t", messages=messages), tools, POLICY)}
    assert ("send_email", "confidentiality") in by_messages
    assert by_journal == by_messages, f"the journal's audit reports {by_journal}, the messages' {by_messages}"
