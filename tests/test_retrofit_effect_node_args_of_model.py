"""An effect node whose `args_of` returns a pydantic model of its arguments is verified on the model's fields.

README: "each run is one proposal whose arguments are `args_of(state)`". Before 9cedae8 `EffectNode._call`
built them with `dict(args_of(input))`, which reads a pydantic model as its fields (`dict(Payment(...))` is
`{"to": ..., "amount": ...}`): an app whose state holds the payment as a model (`args_of=lambda s:
s.payment`) had each run verified on it. The check added for values that are no mapping (a list of names
read as the pairs it spells) refuses a model too, so every run of such a node now fails with a TypeError,
the graph unusable after an upgrade.

Must hold: a pydantic model returned by `args_of` gives the proposal its fields (a guard reading `amount`
judges it); what is neither a mapping nor a model is still refused naming the node.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel

import graphs
from vfa import ALLOW, Deny, guard


class Payment(BaseModel):
    to: str
    amount: int


class _State(BaseModel):
    payment: Payment
    paid: bool = False


@guard
def at_most_100(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(guard="at_most_100", reason="amount over 100")


def _app(args_of: Any, paid: list[str]) -> Any:
    def pay(state: _State) -> dict[str, Any]:
        paid.append(state.payment.to)
        return {"paid": True}

    b = StateGraph(_State)
    b.add_node("pay", pay)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return graphs.guard_graph(b, [at_most_100], effect_nodes={"pay": args_of})


@pytest.mark.parametrize("amount,committed", [(50, True), (500, False)])
def test_args_of_returning_a_model_is_judged_on_its_fields(amount: int, committed: bool) -> None:
    paid: list[str] = []
    out = _app(lambda state: state.payment, paid).invoke({"payment": Payment(to="bob", amount=amount)})
    assert out.get("paid", False) is committed
    assert paid == (["bob"] if committed else [])


def test_args_of_returning_neither_is_still_refused() -> None:
    paid: list[str] = []
    with pytest.raises(TypeError, match=r"effect node 'pay'.*args_of"):
        _app(lambda state: [("to", "bob")], paid).invoke({"payment": Payment(to="bob", amount=5)})
    assert paid == []
