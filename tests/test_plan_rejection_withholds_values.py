"""Red team 121: a plan-execute rejection shows the model the value behind a handle it planned with.

docs/privacy.md ("Other guards judge values"): a guard judging values gets each handle swapped for its value,
and what it says is "shown with every value of the thread's handles written as its handle again";
"`graphs.plan_execute` verifies a plan on the same values" and "a plan-execute rejection reaches the
model the same way". The guard node withholds the values (`flow.withhold`) before the denial text is
made; `plan_execute`'s `check_plan` judged the plan on the values (`node.values`) but handed
`verify_plan`'s verdict straight to `node.denial`, which withholds only tokens holding a digit or an
"@" and the words of the call as written (the handle). So a payee the model holds only as
`«payee:…»` ("zebulon", a private field of an invoice) is read back in clear from the plan's
counterexample: `'zebulon' is not in state.payees (to='zebulon', ...)`. The same call through the
guard node alone is told as `to='‹withheld›'`.

Fixed: `plan_execute`'s verdict is withheld through the flow (`flow.withhold`) before the node writes
the denial, as the guard node withholds a guard's verdict.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import PLAN_GUARD, plan_execute
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"
PAYEE = "zebulon"


class Account(BaseModel):
    balance: int = 1000
    payees: set[str] = {"alice"}


def _agent(paid: list[Any]) -> Agent:
    @privacy_sink()
    @privacy_source(private=["payee"], kind="invoice")
    def get_invoice() -> dict:
        """The open invoice."""
        return {"payee": PAYEE, "due": "soon"}

    @privacy_sink(internal=["to", "amount"], authority=["amount"])
    @privacy_source()
    @effect
    @requires("to in state.payees or amount <= 100", state=Account)
    def transfer(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "ok"

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_invoice", {})
        if turn == 1:  # the plan: pay the invoice's payee, by its handle
            shown = [m for m in messages if isinstance(m, ToolMessage)][-1].content
            return ("transfer", {"to": json.loads(shown)["payee"], "amount": 500})
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt121-plan")
    return Agent(ScriptedModel(rule=rule), [get_invoice, transfer], guards=[flow.guard()], flow=flow,
                 world=lambda: Account())


def test_a_plan_rejection_withholds_the_value_behind_a_handle():
    paid: list[Any] = []
    app = plan_execute(_agent(paid), max_replans=0).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("pay the invoice, 500")]}, {"configurable": {"thread_id": "t"}})
    assert "«payee:" in out["messages"][2].content  # the model holds the payee as a handle only
    rejected = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "transfer"]
    assert paid == [] and rejected and f"guard {PLAN_GUARD!r}" in rejected[0].content, out["messages"]
    seen = [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage)] + [
        json.dumps(m.artifact, default=str) for m in rejected]
    assert not any(PAYEE in s for s in seen), f"the model was shown the handled payee in clear: {rejected[0].content}"


def test_the_same_call_through_the_guard_node_withholds_it():
    paid: list[Any] = []
    out = _agent(paid).compile().invoke({"messages": [HumanMessage("pay the invoice, 500")]},
                                        {"configurable": {"thread_id": "t"}})
    denied = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "transfer"]
    assert paid == [] and denied and "requires:transfer" in denied[0].content, out["messages"]
    assert PAYEE not in denied[0].content, denied[0].content
