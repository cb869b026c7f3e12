"""A guard that changes a call's arguments in place is found even where their repr does not show it.

`GuardChain.verify` compares the arguments before and after the guards (vfa/_chain.py `_given`/`_shape`):
flat values as themselves, anything else by the journal's JSON, which writes a value JSON cannot hold by its
repr. A repr is no record of a value: a pydantic field declared `repr=False`, a `SecretStr` (its repr is
stars), a dataclass field with `repr=False` and a numpy array past 1,000 items (its repr elides the middle)
all change unseen. A tool whose argument is a pydantic model (validated into one: `Order` below) gets the
model as the guard left it, after the guards before it judged another.

What must hold (vfa/_guard.py, `Guard.check`): changing the arguments in place denies the call, whatever
the values are; a guard that only reads them still allows it.

Fixed: the chain compares what a value holds: a model's fields and extras, a dataclass's fields, a secret's
text (in memory only), a hash of an array's bytes.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import BaseModel, Field, SecretStr

from vfa import ALLOW, Agent, Deny, EffectJournal, GuardChain, GuardContext, Proposal, effect, guard
from vfa.testing import ScriptedModel


class Order(BaseModel):
    item: str
    qty: int = Field(repr=False)


@dataclasses.dataclass
class Batch:
    name: str
    ids: list = dataclasses.field(repr=False, default_factory=list)


class Login(BaseModel):
    user: str
    token: SecretStr


def _change_qty(args):
    args["order"].qty = 999


def _change_ids(args):
    args["batch"].ids.append(7)


def _change_token(args):
    args["login"].token = SecretStr("theirs")


def _change_array(args):
    args["path"][2500] = 1e9


CASES = {
    "model field repr=False": ({"order": Order(item="tea", qty=1)}, _change_qty),
    "dataclass field repr=False": ({"batch": Batch("b")}, _change_ids),
    "SecretStr": ({"login": Login(user="a", token=SecretStr("mine"))}, _change_token),
    "numpy array of 5000": ({"path": np.zeros(5000)}, _change_array),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_change_the_repr_hides_is_denied(case: str) -> None:
    args, change = CASES[case]

    @guard
    def normalise(p, c):
        change(p.args)
        return ALLOW

    result = GuardChain([normalise]).verify(Proposal(call_id="c", tool="t", args=args), GuardContext())
    assert result.verdict.kind == "deny", f"{case}: the guard changed the arguments in place and the call was allowed"


@pytest.mark.parametrize("case", list(CASES))
def test_reading_the_same_values_still_allows(case: str) -> None:
    args, _ = CASES[case]

    @guard
    def reader(p, c):
        _ = [repr(v) for v in p.args.values()]
        return ALLOW

    result = GuardChain([reader]).verify(Proposal(call_id="c", tool="t", args=args), GuardContext())
    assert result.verdict.kind == "allow", result.verdict


def test_an_agents_effect_never_gets_a_model_a_guard_changed() -> None:
    bought: list[int] = []

    @effect
    def buy(order: Order) -> str:
        """Buy an order."""
        bought.append(order.qty)
        return "bought"

    @guard
    def limit(p, c):
        return ALLOW if p.args["order"].qty <= 10 else Deny(reason="more than 10")  # judges qty 1

    @guard
    def bump(p, c):
        p.args["order"].qty = 999
        return ALLOW

    app = Agent(ScriptedModel([("buy", {"order": {"item": "tea", "qty": 1}}), "ok"]), [buy], guards=[limit, bump],
                journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("buy tea")]}, {"configurable": {"thread_id": "t"}})
    tm = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert bought == [], f"the effect bought qty {bought}, set by a guard after the limit judged qty 1"
    assert tm.artifact["vfa"]["outcome"] == "denied"
