"""Red team 78: non-finite numbers (NaN, infinity) are refused as invalid arguments; they passed validation.

Bad input must be refused with a clear error naming the problem, before any guard. A tool's argument
model is built by `vfa/_tools.py` `_model_from_signature` with `ConfigDict(extra="forbid")` only, so
pydantic's default `allow_inf_nan=True` holds: a float argument accepts NaN and +-inf, written by
the model as JSON `NaN`/`Infinity` (Python's json.loads, which LangChain uses for tool-call args,
reads them) or as the strings "nan"/"inf" (lax mode coerces them). A NaN compares False with
everything, so an ordinary guard written as `Deny if amount > balance` allows it, and the effect
commits a payment of NaN (the balance becomes NaN, and every later `> balance` check passes too).
`guards.requires` refuses non-finite values itself (`_fastpath._scalar`), but `@vfa.guard`s and
retrofit guards see the value as validated.
"""

from __future__ import annotations

import math

from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel


class Account:
    balance = 100.0


def test_a_nan_amount_is_refused_as_invalid_not_paid():
    account = Account()
    paid: list = []

    @effect
    def transfer(to: str, amount: float) -> str:
        """Send money."""
        account.balance -= amount
        paid.append(amount)
        return f"sent {amount} to {to}"

    @guard
    def within_balance(p, c):
        return Deny(reason="over balance") if p.args["amount"] > c.world.balance else ALLOW

    model = ScriptedModel([("transfer", {"to": "mallory", "amount": "nan"}), "ok"])
    app = Agent(model, [transfer], [within_balance], world=account).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    msg = out["messages"][2]
    assert paid == [], f"committed a payment of {paid}; balance now {account.balance}"
    assert msg.status == "error" and "amount" in msg.content
    assert not math.isnan(account.balance)
