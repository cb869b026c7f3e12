"""Red team 80: a NaN or an infinity inside a dataclass argument passes validation, and is paid.

Red team 78 made `ToolSpec.validate` refuse a non-finite number "anywhere in the arguments" (README:
"so is a NaN or an infinite number anywhere in the arguments (it would pass every `>` a guard
checks)"). The walk that looks for one, `vfa/_tools.py` `_nonfinite`, descends into floats,
Decimals, mappings, lists/tuples/sets and pydantic models only. A tool whose argument is a
standard-library `@dataclass` (or a pydantic dataclass), which pydantic validates into an instance of
that class, is not walked: `{"p": {"to": "mallory", "amount": "nan"}}` validates to
`Payment(to='mallory', amount=nan)`, every ordinary guard (`amount > balance`, `amount > limit`)
allows it, and the effect commits a payment of NaN (the balance becomes NaN, and every later check
against it passes too). Fail open on hostile input that the README says is refused.

Root cause: `vfa/_tools.py` `_nonfinite` returns None for any value that is not a float, Decimal,
Mapping, list/tuple/set or BaseModel (dataclass instances, pydantic dataclasses, objects of other
types pydantic builds).

Fixed: the walk also reads dataclasses (slotted too), a model's extra fields, any object's attributes
and complex numbers, each object once; an effect node's arguments are walked too.
"""



import dataclasses
import math

import pydantic
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel


@dataclasses.dataclass
class Payment:
    to: str
    amount: float


@pydantic.dataclasses.dataclass
class PydanticPayment:
    to: str
    amount: float


class Account:
    balance = 100.0


def _run(arg_type, args):
    account = Account()
    paid: list = []

    @effect
    def transfer(p: arg_type) -> str:  # type: ignore[valid-type]
        """Send money."""
        account.balance -= p.amount
        paid.append(p.amount)
        return f"sent {p.amount} to {p.to}"

    @guard
    def within_balance(prop, ctx):
        return Deny(reason="over balance") if prop.args["p"].amount > ctx.world.balance else ALLOW

    model = ScriptedModel([("transfer", args), "ok"])
    app = Agent(model, [transfer], [within_balance], world=account).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    return out["messages"][2], paid, account


def test_a_nan_inside_a_dataclass_argument_is_refused_not_paid():
    msg, paid, account = _run(Payment, {"p": {"to": "mallory", "amount": "nan"}})
    assert paid == [], f"committed a payment of {paid}; balance now {account.balance}"
    assert msg.status == "error" and "finite" in msg.content
    assert not math.isnan(account.balance)


def test_an_infinity_inside_a_pydantic_dataclass_argument_is_refused_not_paid():
    msg, paid, account = _run(PydanticPayment, {"p": {"to": "mallory", "amount": "-inf"}})
    assert paid == [], f"committed a payment of {paid}; balance now {account.balance}"
    assert msg.status == "error" and "finite" in msg.content


@dataclasses.dataclass(slots=True)
class SlottedPayment:
    to: str
    amount: float


def test_a_nan_inside_a_slotted_dataclass_is_refused():
    msg, paid, _ = _run(SlottedPayment, {"p": {"to": "mallory", "amount": "nan"}})
    assert paid == [] and msg.status == "error" and "p.amount" in msg.content


def test_the_walk_reads_shared_and_cyclic_objects_once():
    from vfa._tools import _nonfinite

    class Node:
        def __init__(self):
            self.next = self
            self.value = 1.0

    shared = [1.0] * 3
    wide = [shared] * 2
    for _ in range(40):  # 2**40 paths to one list: walked once, not per path
        wide = [wide, wide]
    assert _nonfinite(Node(), "n") is None and _nonfinite(wide, "w") is None
    bad = Node()
    bad.next = Node()
    bad.next.value = float("inf")
    assert _nonfinite(bad, "n") == "n.next.value"
    assert _nonfinite(complex("nan+1j"), "c") == "c"


def test_an_effect_node_with_a_nan_in_its_arguments_is_refused():
    from typing import TypedDict

    from langgraph.graph import END, START, StateGraph

    import graphs

    class State(TypedDict, total=False):
        amount: float

    paid: list = []
    b = StateGraph(State)
    b.add_node("pay", lambda s: paid.append(s["amount"]) or {})
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    gate = graphs.ToolGate([])
    g = graphs.guard_graph(b, gate=gate, effect_nodes={"pay": lambda s: {"amount": s["amount"]}},
                           checkpointer=InMemorySaver())
    g.invoke({"amount": float("nan")}, {"configurable": {"thread_id": "t"}})
    assert paid == []
    (denied,) = [e for e in gate.journal.entries("t") if e.kind == "denied"]
    assert "finite" in denied.data["reason"]
