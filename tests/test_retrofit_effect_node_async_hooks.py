"""An `effect_nodes` hook written `async def` is refused where it is given, naming it.

What must hold: `args_of`, `with_args` and `on_deny` are called as plain functions, in `invoke` and `ainvoke`
alike (README: "`on_deny(state, message)` returning the update to write"). An async one hands back an
unawaited coroutine: `args_of`'s failed every run with "'coroutine' object is not iterable"; `on_deny`'s was
written as the update, so a denied run failed with LangGraph's "Expected dict, got <coroutine ...>" (and a
"never awaited" warning), far from the mistake; `with_args`'s gave the node a coroutine for its state inside
the commit, journaled as the effect's failure. Each is refused at `guard_graph`, a `TypeError` naming the
node and the hook, as a hook that is not a function is.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.graph import END, START, StateGraph

import graphs
from vfa import Allow, Deny, guard


class State(TypedDict, total=False):
    amount: int
    paid: bool


def _app() -> StateGraph:
    async def pay(state: State) -> dict[str, Any]:
        return {"paid": True}

    b = StateGraph(State)
    b.add_node("pay", pay)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return b


@guard
def LIMIT(p: Any, ctx: Any) -> Allow | Deny:
    """Pay 100 at most."""
    return Deny(reason="amount <= 100") if p.args["amount"] > 100 else Allow()


def _args(state: State) -> dict[str, Any]:
    return {"amount": state["amount"]}


async def _aargs(state: State) -> dict[str, Any]:
    return {"amount": state["amount"]}


async def _awith(state: State, args: dict[str, Any]) -> State:
    return {**state, **args}


async def _adeny(state: State, message: Any) -> dict[str, Any]:
    return {"paid": False}


class _AsyncCall:
    async def __call__(self, state: State, message: Any) -> dict[str, Any]:
        return {"paid": False}


@pytest.mark.parametrize("given, named", [
    ({"args_of": _aargs}, "args_of"),
    ({"args_of": _args, "with_args": _awith}, "with_args"),
    ({"args_of": _args, "on_deny": _adeny}, "on_deny"),
    ({"args_of": _args, "on_deny": _AsyncCall()}, "on_deny"),
])
def test_an_async_hook_is_refused_where_given(given: dict[str, Any], named: str) -> None:
    with pytest.raises(TypeError, match=rf"'pay'.*{named}.*async"):
        graphs.guard_graph(_app(), [LIMIT], effect_nodes={"pay": given})


def test_a_sync_on_deny_of_an_async_node_writes_its_update_under_ainvoke() -> None:
    import asyncio

    app = graphs.guard_graph(_app(), [LIMIT], effect_nodes={"pay": {"args_of": _args,
                                                                    "on_deny": lambda s, m: {"paid": False}}})
    assert asyncio.run(app.ainvoke({"amount": 500}))["paid"] is False
    assert asyncio.run(app.ainvoke({"amount": 5}))["paid"] is True
