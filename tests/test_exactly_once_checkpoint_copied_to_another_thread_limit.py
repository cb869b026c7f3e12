"""A call that committed on one thread does not commit again when its checkpoint is copied to another
thread id and run there: a stated limit (docs/kernel.md, "Exactly-once effects").

Scenario: one model turn holds two payments, `pay(bob, 5)` (allowed, committed) and `pay(eve, 500)`
(a guard asks a person). While the question waits, an operator copies the thread to a new thread id
(`graph.update_state(new_config, graph.get_state(old_config).values, as_node="agent")`: a "duplicate
conversation" button, a migration to ids that name their user, a support engineer reproducing a case)
and runs it on. The copied state still ends with the model's turn (the guard node's step had not
finished), so the guard node runs the turn's calls again: the journal keys calls by (thread id, call id),
finds no record of bob's payment under the new thread id, and pays bob a second time. The guards see a
fresh call (the call's own guards allow 5 again); nothing says the call already committed elsewhere.

What must hold (docs/kernel.md, "Exactly-once effects": a call's write-ahead record and result keep it from
running twice; the brief: a checkpoint copied to another thread id may not run an effect twice): the
payment the model proposed once is made once. Answering it from the journal's record, or putting it to
a person as the journal guard does for a start it cannot place, both keep it.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel


def _app() -> tuple[Any, list[tuple[str, int]]]:
    paid: list[tuple[str, int]] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    @guard
    def large(p: Any, c: Any) -> Any:
        return Escalate(question=f"pay {p.args['amount']}?") if p.args.get("amount", 0) > 100 else ALLOW

    model = ScriptedModel([[("pay", {"to": "bob", "amount": 5}), ("pay", {"to": "eve", "amount": 500})], "ok", "ok"])
    app = Agent(model, [pay], guards=[large], journal=EffectJournal()).compile(checkpointer=InMemorySaver())
    return app, paid


@pytest.mark.xfail(strict=True, reason="stated limit: commits are keyed by thread id; a copied pending turn runs again")
def test_a_committed_call_copied_to_another_thread_is_not_paid_again() -> None:
    app, paid = _app()
    old = {"configurable": {"thread_id": "customer-1"}}
    out = app.invoke({"messages": [HumanMessage("pay bob 5 and eve 500")]}, old)
    assert out.get("__interrupt__") and paid == [("bob", 5)]

    new = {"configurable": {"thread_id": "user-42:customer-1"}}
    app.update_state(new, app.get_state(old).values, as_node="agent")  # the conversation, copied as it stands
    app.invoke(None, new)
    assert paid.count(("bob", 5)) == 1, f"bob's payment, committed once on the old thread, was made again: {paid}"
