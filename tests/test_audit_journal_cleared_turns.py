"""The journal's audit keeps a user message before the calls made after it when those calls' turns were
removed from the state, and reports no violation in a payment the user asked for (and the live guard
allowed).

Trace (the benchmark world, handles on, one thread "t", a checkpointer):

    user  "Pay Larry's rent: 1200 to DE89370400440532013000."
    call  c1 read_inbox {}            -> five mails, untrusted (Larry's holds the same IBAN)
    call  c2 pay {"iban": "DE89370400440532013000", "amount": 1200}    live: allowed (the user typed both)
    --- a node that clears old tool traffic removes the model's turns and their results (RemoveMessage),
        keeping the user's words ---
    user  "Thanks. Who are my contacts?"
    call  c3 list_contacts {}

`trace_from_journal(journal, "t", messages=...)` matches the journal's calls to the calls of the
conversation to place each user message "before the first call after it". c1 and c2 were no longer in
the messages, so they matched no call and came first; both user messages then came before c3 only.
The audit labelled c2 with no user message: after the untrusted inbox, `iban` and `amount` were
ungrounded, and it reported two integrity violations the live guard never made.

Expected: the audit reports what the live guard denied (nothing here).

Fixed: the guard node journals with each proposal the id of the user message it was made after
(`"turn"`), and the audit places a call the conversation no longer holds after that message (red
team 102).
"""

from __future__ import annotations

from typing import Any

from _audit_trace import audit_journal, found, journaled_agent, live_denials
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow
from vfa import EffectJournal

IBAN = "DE89370400440532013000"
FIRST = [("read_inbox", {}, "c1"), ("pay", {"iban": IBAN, "amount": 1200}, "c2")]
SECOND = [("list_contacts", {}, "c3")]


def _rule(messages: list[Any]) -> Any:
    """The calls of the turn after the last user message: the payment for the first, the contacts for the second."""
    last = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
    steps = SECOND if "contacts" in messages[last].content else FIRST
    n = sum(isinstance(m, AIMessage) for m in messages[last:])
    if n >= len(steps):
        return "done"
    name, args, call_id = steps[n]
    return AIMessage("", tool_calls=[{"name": name, "args": dict(args), "id": call_id}])


def test_the_journal_audit_keeps_a_user_message_before_the_trimmed_calls_it_came_before() -> None:
    world = World()
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    app = journaled_agent(_rule, world.tools(), flow, journal, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage(f"Pay Larry's rent: 1200 to {IBAN}.")]}, cfg)
    assert world.payments == [{"iban": IBAN, "amount": 1200.0, "note": ""}]  # live: allowed, as the user asked
    # old tool traffic cleared from the state: the model's turns and their results, the user's words kept
    app.update_state(cfg, {"messages": [RemoveMessage(id=m.id) for m in out["messages"]
                                        if isinstance(m, (AIMessage, ToolMessage))]})
    out = app.invoke({"messages": [HumanMessage("Thanks. Who are my contacts?")]}, cfg)
    live = live_denials(journal)
    assert live == []
    audited = audit_journal(journal, out["messages"], World().tools(), PrivacyFlow(POLICY, secret=b"s"))
    assert found(audited) == live, [v.message for v in audited]
