"""An effect node whose `args_of` returns no mapping of argument names is refused with an error naming it.

README: "each run is one proposal whose arguments are `args_of(state)`". `EffectNode._call` builds them
with `dict(self.args_of(input))`: None fails with "'NoneType' object is not iterable", a text with
"dictionary update sequence element #0 has length 1", keys that are not text with a pydantic error about
`Proposal`, none of which names the node or `args_of`; and a list of two-letter names, `["to"]`, is taken
as the pairs it spells, so the call is verified and committed with the arguments `{"t": "o"}`, which the
node never meant (a guard that reads `to` judges nothing of it).

Must hold: such a run commits nothing and fails with a `TypeError` naming the node and `args_of`.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.graph import END, START, StateGraph

import graphs
from vfa import ALLOW, guard


class _State(TypedDict, total=False):
    to: str
    paid: bool


@guard
def allow_all(p, c):
    return ALLOW


def _app(args_of: Any) -> tuple[Any, list[str]]:
    """A one-node app whose node "pay" is an effect node with `args_of`; the list of whom it paid."""
    paid: list[str] = []

    def pay(state: _State) -> dict[str, Any]:
        paid.append(state["to"])
        return {"paid": True}

    b = StateGraph(_State)
    b.add_node("pay", pay)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return graphs.guard_graph(b, [allow_all], effect_nodes={"pay": args_of}), paid


@pytest.mark.parametrize("returned", [None, "to", ["to"], {1: "bob"}],
                         ids=["none", "text", "list-of-names", "int-keys"])
def test_args_of_returning_no_mapping_is_named(returned: Any) -> None:
    app, paid = _app(lambda state: returned)
    with pytest.raises(TypeError, match=r"effect node 'pay'.*args_of"):
        app.invoke({"to": "bob"})
    assert paid == []


def test_args_of_that_raises_keeps_its_error_told_where_it_came_from() -> None:
    """An `args_of` that raises (a key the state lacks) keeps its error, with a note naming the effect node."""
    app, paid = _app(lambda state: {"to": state["payee"]})
    with pytest.raises(KeyError) as caught:
        app.invoke({"to": "bob"})
    assert any("effect node 'pay'" in note and "args_of" in note for note in caught.value.__notes__)
    assert paid == []
