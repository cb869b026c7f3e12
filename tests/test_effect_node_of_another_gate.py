"""An effect node a gate guarded before is judged by the app's guards, or the app is refused.

What must hold (README, "Guard an app you already have": "an app holding a subgraph that `guard_graph` guarded
before, with another gate, is refused (`ConfigError`): its calls would pass that gate alone"; "Guard an agent with
one gate"): every effect passes the guards the app was guarded with, exactly once.

Found: `_guard_runnable` refuses a `ToolNode` and a vfa `GuardNode` of another gate, but keeps an `EffectNode`
(`guard_graph(..., effect_nodes=...)`) of another gate as it is: a team's subgraph guarded with no guards of its
own, used as a node of an app guarded with `[budget]`, paid 5000 with no error (`budget` never judged it); so did
the graph itself guarded again with `[budget]`. And a graph guarded again with its own gate, naming the same
effect node, wrapped the node in a second `EffectNode` of the same gate and call id: every run failed with a
`CallInFlightError` ("being run by another run") and the node never ran.

Fixed: an effect node another gate made is refused where the app is guarded (ConfigError naming the node);
named again by its own gate it is wrapped once, with the hooks given now.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

import graphs
from vfa import ALLOW, ConfigError, Deny, guard


class S(TypedDict, total=False):
    amount: int
    done: bool


@guard
def budget(p: Any, c: Any) -> Any:
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


EFFECT = {"pay": lambda s: {"amount": s["amount"]}}


def _payer(paid: list[int]) -> StateGraph:
    def pay(state: S) -> dict[str, Any]:
        paid.append(state["amount"])
        return {"done": True}

    b = StateGraph(S)
    b.add_node("pay", pay)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return b


def _in_app(inner: Any) -> StateGraph:
    b = StateGraph(S)
    b.add_node("team", inner)
    b.add_edge(START, "team")
    b.add_edge("team", END)
    return b


def _refused_or_paid_nothing(app: Any, paid: list[int], thread: str) -> None:
    try:
        guarded = graphs.guard_graph(app, [budget], checkpointer=InMemorySaver())
    except ConfigError as exc:
        assert "another gate" in str(exc)
        return
    guarded.invoke({"amount": 5000}, {"configurable": {"thread_id": thread}})
    assert paid == [], f"paid past the app's budget guard: {paid}"


def test_effect_node_of_another_gate_in_a_subgraph() -> None:
    paid: list[int] = []
    inner = graphs.guard_graph(_payer(paid), [], effect_nodes=EFFECT)
    _refused_or_paid_nothing(_in_app(inner), paid, "sub")


def test_graph_with_an_effect_node_guarded_again_by_another_gate() -> None:
    paid: list[int] = []
    once = graphs.guard_graph(_payer(paid), [], effect_nodes=EFFECT)
    _refused_or_paid_nothing(once, paid, "again")


def test_graph_guarded_again_by_its_own_gate_pays_once_within_the_guards() -> None:
    paid: list[int] = []
    gate = graphs.ToolGate([budget])
    once = graphs.guard_graph(_payer(paid), gate=gate, effect_nodes=EFFECT)
    twice = graphs.guard_graph(once, gate=gate, effect_nodes=EFFECT, checkpointer=InMemorySaver())
    assert twice.invoke({"amount": 50}, {"configurable": {"thread_id": "a"}})["done"] is True
    assert "done" not in twice.invoke({"amount": 5000}, {"configurable": {"thread_id": "b"}})
    assert paid == [50]


def test_effect_node_named_again_by_its_own_gate_takes_the_hooks_given_now() -> None:
    paid: list[int] = []
    gate = graphs.ToolGate([budget])
    once = graphs.guard_graph(_payer(paid), gate=gate, effect_nodes=EFFECT)
    twice = graphs.guard_graph(once, gate=gate, effect_nodes={"pay": lambda s: {"amount": s["amount"] * 100}},
                               checkpointer=InMemorySaver())
    assert "done" not in twice.invoke({"amount": 50}, {"configurable": {"thread_id": "c"}})
    assert paid == [], "the node ran on the arguments of the hooks it was first given"
