"""`guard_graph` over an app holding a vfa `Agent` as a subgraph leaves the agent's calls unjudged.

What must hold (README, "Guard an app you already have": "an app holding a subgraph that `guard_graph` guarded
before, with another gate, is refused (`ConfigError`): its calls would pass that gate alone"; and "Guard an agent
with one gate"): a vfa `Agent(...).compile()` used as a node of the app is a subgraph guarded before, by its own
guard node. `guard_graph(app, [budget])` walks into it (it recompiles every compiled subgraph), finds no
`ToolNode` (the agent's tool node is a `GuardNode`) and keeps it as it is: the agent's calls pass its own chain
alone, and `budget`, given for the whole app, never judges them. A payment of 500 went out under
`guard_graph(app, [budget])` with no error and a clean coverage check. The same app with the subgraph guarded by
`guard_graph` (a `ToolNode` gated by another gate) is refused, and a `create_agent` subgraph with a
`GuardMiddleware` of its own runs no call (`ConfigError`).

Expected: `guard_graph` refuses the app (`ConfigError`, naming the other gate), so no call of the agent runs
unjudged by the app's guards; without `guard_graph` around it the agent as a subgraph runs as before (control).

Fixed: graphs/_retrofit._guard_runnable raises ConfigError for a GuardNode that is not the gate's own, naming
the node and its tools (guard_graph over a plan_execute graph is refused so too).
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

import graphs
from vfa import ALLOW, Agent, ConfigError, Deny, effect, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


@guard
def budget(p: Any, c: Any) -> Any:
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


def _app(paid: list[Any]) -> StateGraph:
    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "paid"

    inner = Agent(ScriptedModel([("pay", {"to": "eve", "amount": 500}), "ok"]), [pay]).compile()
    outer = StateGraph(MessagesState)
    outer.add_node("assistant", inner)
    outer.add_edge(START, "assistant")
    outer.add_edge("assistant", END)
    return outer


def test_an_app_guarded_around_an_agent_subgraph_is_refused() -> None:
    paid: list[Any] = []
    try:
        app = graphs.guard_graph(_app(paid), [budget], checkpointer=InMemorySaver())
    except ConfigError as exc:
        assert "gate" in str(exc)
        return
    app.invoke({"messages": [("user", "pay eve")]}, CFG)
    assert paid == [], "the app's budget guard never judged the subgraph agent's payment of 500"


def test_an_agent_subgraph_runs_unwrapped_control() -> None:
    paid: list[Any] = []
    app = _app(paid).compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "pay eve")]}, CFG)
    assert paid == [("eve", 500)]


def test_an_app_guarded_around_an_agent_subgraph_is_refused_in_a_function_wrapper_too() -> None:
    """The agent behind `.with_config(...)`: the walk goes through bindings as it does for a ToolNode."""
    paid: list[Any] = []

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        paid.append((to, amount))
        return "paid"

    inner = Agent(ScriptedModel([("pay", {"to": "eve", "amount": 500}), "ok"]), [pay]).compile()
    outer = StateGraph(MessagesState)
    outer.add_node("assistant", inner.with_config(tags=["helper"]))
    outer.add_edge(START, "assistant")
    outer.add_edge("assistant", END)
    try:
        app = graphs.guard_graph(outer, [budget], checkpointer=InMemorySaver())
    except ConfigError:
        return
    app.invoke({"messages": [("user", "pay eve")]}, CFG)
    assert paid == []
