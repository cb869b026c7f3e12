"""An effect node's hooks of the wrong kind are accepted, and fail only when the node runs, naming nothing.

`guard_graph(graph, effect_nodes={"charge": 5})` (or `EffectNode(..., args_of=5)`) builds; every run of the node
then raises "'int' object is not callable" out of `invoke`, naming neither the node nor `args_of`. A
`with_args` or `on_deny` that is no function is only found when a person edits a call or a guard denies one,
and `effect_nodes={"charge": (args_of, with_args, extra)}` says only "too many values to unpack".

What must hold: each is refused where it is given (a `TypeError` naming the hook), nothing run; functions, and
a pair of them, still build.

Fixed: an effect node's args_of, with_args and on_deny must be functions and effect_nodes' tuple a pair,
refused with a TypeError naming the hook and the node where given.
"""

from __future__ import annotations

import pytest
from langgraph.graph import START, MessagesState, StateGraph

import graphs


def _graph(ran):
    b = StateGraph(MessagesState)
    b.add_node("charge", lambda s: ran.append(1) or {})
    b.add_edge(START, "charge")
    return b


def _args(state):
    return {"amount": 1}


@pytest.mark.parametrize("given, named", [
    (5, "args_of"),
    ("amount", "args_of"),
    ((_args, 5), "with_args"),
    ((5, lambda state, args: state), "args_of"),
    ((_args, lambda s, a: s, None), "effect_nodes"),
])
def test_a_hook_that_is_no_function_is_refused_where_given(given, named):
    ran: list = []
    with pytest.raises(TypeError, match=named):
        graphs.guard_graph(_graph(ran), effect_nodes={"charge": given})
    assert ran == []


@pytest.mark.parametrize("hook", ["args_of", "with_args", "on_deny"])
def test_an_effect_nodes_hook_is_a_function(hook):
    with pytest.raises(TypeError, match=hook):
        graphs.EffectNode("charge", lambda s: {}, graphs.ToolGate(), **{hook: 5})


@pytest.mark.parametrize("given", [None, _args, (_args, lambda state, args: state)])
def test_functions_still_build_and_run(given):
    ran: list = []
    graphs.guard_graph(_graph(ran), effect_nodes={"charge": given}).invoke({"messages": [("user", "go")]})
    assert ran == [1]
