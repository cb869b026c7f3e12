"""A denied effect node of a retrofitted graph can say so: `effect_nodes={"pay": {"args_of": ..., "on_deny": ...}}`.

What must hold: without `on_deny` a denied run writes nothing and the graph goes on along its edges (as the
README says); with it, the update it returns is written, so a conditional edge can route away from a node
that assumes the payment happened (a receipt), and an `on_deny` that raises stops the run, nothing paid.
The hook is given the node's input and the denial's tool message; a misspelt key is refused where given.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.graph import END, START, StateGraph

import graphs
from vfa import Allow, Deny, Proposal, guard


class State(TypedDict, total=False):
    to: str
    amount: int
    paid: bool
    receipt: str
    why: str


def _app(paid: list[tuple[str, int]]) -> StateGraph:
    def pay(state: State) -> dict[str, Any]:
        paid.append((state["to"], state["amount"]))
        return {"paid": True}

    def receipt(state: State) -> dict[str, Any]:
        return {"receipt": f"paid {state['amount']} to {state['to']}"}

    b = StateGraph(State)
    b.add_node("pay", pay)
    b.add_node("receipt", receipt)
    b.add_edge(START, "pay")
    b.add_conditional_edges("pay", lambda s: "receipt" if s.get("paid") else END, ["receipt", END])
    b.add_edge("receipt", END)
    return b


def _args(state: State) -> dict[str, Any]:
    return {"to": state["to"], "amount": state["amount"]}


@guard
def LIMIT(p: Proposal, ctx: Any) -> Allow | Deny:
    """Pay 100 at most."""
    return Deny(reason=f"amount {p.args['amount']} is over the limit: amount <= 100") if p.args["amount"] > 100 else Allow()


def test_without_on_deny_a_denial_writes_nothing() -> None:
    paid: list[tuple[str, int]] = []
    app = graphs.guard_graph(_app(paid), [LIMIT], effect_nodes={"pay": _args})
    out = app.invoke({"to": "bob", "amount": 500})
    assert paid == [] and "paid" not in out and "receipt" not in out


def test_on_deny_writes_the_update_a_route_reads() -> None:
    paid: list[tuple[str, int]] = []
    seen: list[Any] = []

    def refused(state: State, message: Any) -> dict[str, Any]:
        seen.append((state["amount"], message.artifact["vfa"]["outcome"]))
        return {"paid": False, "why": str(message.content)}

    app = graphs.guard_graph(_app(paid), [LIMIT], effect_nodes={"pay": {"args_of": _args, "on_deny": refused}})
    out = app.invoke({"to": "bob", "amount": 500})
    assert paid == [] and out["paid"] is False and "receipt" not in out
    assert seen == [(500, "denied")] and "amount <= 100" in out["why"]
    out = app.invoke({"to": "bob", "amount": 50})  # allowed: on_deny is not called
    assert paid == [("bob", 50)] and out["receipt"] == "paid 50 to bob" and len(seen) == 1


def test_an_on_deny_that_raises_stops_the_run() -> None:
    paid: list[tuple[str, int]] = []

    class PaymentRefused(Exception):
        pass

    def stop(state: State, message: Any) -> dict[str, Any]:
        raise PaymentRefused(str(message.content))

    app = graphs.guard_graph(_app(paid), [LIMIT], effect_nodes={"pay": {"args_of": _args, "on_deny": stop}})
    with pytest.raises(PaymentRefused, match="amount"):
        app.invoke({"to": "bob", "amount": 500})
    assert paid == []


@pytest.mark.parametrize("given, named", [
    ({"args_of": _args, "ondeny": lambda s, m: {}}, "ondeny"),
    ({"args_of": _args, "on_deny": 5}, "on_deny"),
    ((_args, None, lambda s, m: {}), "mapping"),
])
def test_a_bad_entry_is_refused_where_given(given: Any, named: str) -> None:
    with pytest.raises(TypeError, match=named):
        graphs.guard_graph(_app([]), [LIMIT], effect_nodes={"pay": given})
