"""`plan_execute(max_replans=N)` did not bound re-plans whose calls have no id: the run loops until
LangGraph's recursion limit.

Since `max_replans` counts only rejected plans, `_replan_or_end` counts a plan as rejected when an error
reply answers one of its calls, matching `call["id"] == message.tool_call_id`. A plan whose call has no id
(`"id": None`, which LangChain's `ToolCall` allows and a model may write) is rejected by `_malformed` ("has no
call id"), answered by `node.denial` under the proposal's id `str(None)`, "None": never equal to `None`, so
the rejected plan counts as none. A model that keeps writing such a plan is re-planned for ever: the run
ends in `GraphRecursionError` (or, with a large `recursion_limit`, costs a model call per round) instead of
ending after `max_replans` rejected plans as documented ("how many rejected plans the model may replace
before the run ends"). Before the change every plan since the user's message counted, so the same run
ended after two plans.

Expected: the id-less plan is a rejected plan; with `max_replans=1` the run ends after two of them.

Fixed: a rejected plan's replies are matched to its calls by `str(id)`, as the node answers a call
without an id.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, ToolMessage
from test_plan_execute import Bank, setup


def test_a_rejected_plan_whose_call_has_no_id_uses_up_a_replan() -> None:
    world = Bank(balance=1000, daily_limit=500, payees={"alice"})
    plans = [AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "alice", "amount": 10}, "id": None}])
             for _ in range(30)]  # a new message each turn, as a model writes
    app, committed = setup(plans, world)
    out = app.invoke({"messages": [("user", "pay alice 10")]},
                     {"configurable": {"thread_id": "t"}, "recursion_limit": 60})
    assert committed == []
    assert sum(isinstance(m, AIMessage) for m in out["messages"]) == 2  # max_replans=1: one rejected plan replaced
    assert all(m.status == "error" for m in out["messages"] if isinstance(m, ToolMessage))
