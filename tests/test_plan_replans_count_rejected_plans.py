"""`plan_execute(max_replans=N)` counted every plan since the user's message, the ones that ran fine
too, as a rejected plan.

A model that works in several plans (pay alice; seeing the result, add bob as a payee; then pay bob)
had its first rejected plan end the run once it had made more than N plans of any kind: with
`max_replans=1`, after two fine plans a rejected third was never re-planned, though the model had
replaced no rejected plan. `max_replans` is documented as "how many rejected plans the model may
replace before the run ends".

Fixed: only plans a step of which was answered with an error (rejected at the plan check, denied or
failed at the node) count.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage
from test_plan_execute import BAD_PLAN, Bank, setup


def test_plans_that_ran_fine_do_not_use_up_the_replans() -> None:
    world = Bank(balance=1000, daily_limit=500, payees={"alice"})
    script = [[("transfer", {"to": "alice", "amount": 100})], [("add_payee", {"name": "carol"})],
              BAD_PLAN, [("transfer", {"to": "carol", "amount": 50})], "done"]
    app, committed = setup(script, world)
    out = app.invoke({"messages": [("user", "pay alice, add carol, pay carol")]}, {"configurable": {"thread_id": "t"}})
    assert committed == [("transfer", {"to": "alice", "amount": 100}), ("add_payee", {"name": "carol"}),
                         ("transfer", {"to": "carol", "amount": 50})]  # max_replans=1: one rejected plan replaced
    assert isinstance(out["messages"][-1], AIMessage) and out["messages"][-1].content == "done"


def test_rejected_plans_are_still_bounded_after_fine_ones() -> None:
    world = Bank(balance=1000, daily_limit=500, payees={"alice"})
    script = [[("transfer", {"to": "alice", "amount": 100})], BAD_PLAN, BAD_PLAN, "never reached"]
    app, committed = setup(script, world)
    out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert committed == [("transfer", {"to": "alice", "amount": 100})]
    assert out["messages"][-1].content != "never reached"
