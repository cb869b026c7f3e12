"""`guard_graph` over a compiled graph keeps each node's own `error_handler`.

LangGraph 1.2's `add_node(..., error_handler=handler)` adds the handler as a node of the builder
(`__error_handler__<node>`) that runs, with the failed state, when the node raises. `guard_graph` over a
compiled graph passed over every error-handler node whose name starts with "__", meaning to pass over
only the default one that `compile()` inserts again (`set_node_defaults(error_handler=...)`): a node's own
handler was dropped, while the node still named it, so the node's error was swallowed and the handler
never ran. The run ended as if nothing had failed, its recovery (a refund, a flag a route reads) missing.

Must hold: guarded, the app's run ends as it does unguarded, its handler run, for a node of its own and for
a node named in `effect_nodes`; the default handler keeps working too.

Fixed: only the node LangGraph inserts for the default handler is passed over (_DEFAULT_ERROR_HANDLER); a
node's own handler node is kept.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

import graphs
from vfa import ALLOW, guard

CFG = {"configurable": {"thread_id": "t"}}


class _State(TypedDict, total=False):
    to: str
    handled: str


@guard
def allow(p, c):
    return ALLOW


def _pay(state: _State) -> dict[str, Any]:
    raise ConnectionError("the bank is down")


def _handler(state: _State) -> dict[str, Any]:
    return {"handled": "refunded"}


def _compiled(default: bool) -> Any:
    b = StateGraph(_State)
    if default:
        b.set_node_defaults(error_handler=_handler)
        b.add_node("pay", _pay)
    else:
        b.add_node("pay", _pay, error_handler=_handler)
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return b.compile(checkpointer=InMemorySaver())


@pytest.mark.parametrize("default", [False, True], ids=["own", "default"])
@pytest.mark.parametrize("effect", [False, True], ids=["node", "effect_node"])
def test_the_nodes_error_handler_runs_guarded_as_unguarded(default: bool, effect: bool) -> None:
    assert _compiled(default).invoke({"to": "landlord"}, CFG) == {"to": "landlord", "handled": "refunded"}
    nodes = {"pay": lambda s: {"to": s["to"]}} if effect else {}
    app = graphs.guard_graph(_compiled(default), [allow], effect_nodes=nodes)
    assert app.invoke({"to": "landlord"}, CFG) == {"to": "landlord", "handled": "refunded"}
