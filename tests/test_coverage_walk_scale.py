"""Red team 59b, performance: the coverage walk on a large app, and on a multi-agent app.

1. `vfa/_coverage.py:_Walker.function` -> `held_all` -> `function` recurses once per helper, with no
   depth bound (`_DEPTH` only bounds composites), over generator frames. Since b03c75b it follows the
   app's helpers in every module (`_app_code`) and the attributes named on held modules (`_namespace`),
   so the depth of the walk is the depth of a depth-first search through the app's whole call graph. An
   app package of 1,000 functions in 20 modules, each calling three others, makes `guard_graph` raise
   `RecursionError`; with the recursion limit raised, the walk takes ~3 s for five nodes (each node
   walks the package again: `seen` is per node).
2. `_Walker.value` walks every compiled graph a node holds with a fresh walker, cut only by the graphs on
   the current path (`active`), so a supervisor whose agents can hand off to each other through a
   registry (`registry.AGENTS[name].invoke(state)`) is walked once per ordering of the agents: 7 agents
   take ~3 s, 8 take ~20 s, 9 minutes.
"""

from __future__ import annotations

import random
import sys
import time
import types
from typing import Any

from _tool_loop import tool_loop
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

import graphs
from vfa import ALLOW, guard
from vfa.testing import ScriptedModel

ok = guard(lambda p, c: ALLOW, name="ok")
model = ScriptedModel(["done"])


@tool
def lookup(q: str) -> str:
    """Look something up."""
    return q


def _package(modules: int = 20, functions: int = 50, fanout: int = 3) -> types.ModuleType:
    rnd = random.Random(59)
    mods = [types.ModuleType(f"rt59b_big.m{i}") for i in range(modules)]
    for i, m in enumerate(mods):
        m.__file__ = f"/srv/app/rt59b_big/m{i}.py"
        m.__dict__.update({f"m{j}": mods[j] for j in range(modules)})  # from rt59b_big import m0, m1, ...
        src = []
        for f in range(functions):
            calls = " + ".join(f"m{rnd.randrange(modules)}.f{rnd.randrange(functions)}(x - 1)" for _ in range(fanout))
            src.append(f"def f{f}(x):\n    if x <= 0:\n        return 0\n    return {calls}\n")
        exec(compile("\n".join(src), m.__file__, "exec"), m.__dict__)  # noqa: S102
        sys.modules[m.__name__] = m
    return mods[0]


def _timed(builder: StateGraph) -> float:
    start = time.perf_counter()
    graphs.guard_graph(builder, [ok])
    return time.perf_counter() - start


def test_a_large_app_package_is_walked_without_recursion_error_and_in_time() -> None:
    m0 = _package()
    g: dict[str, Any] = {"m0": m0, "model": model}
    exec("def agent(state):\n    m0.f0(3)\n    return {'messages': [model.invoke(state['messages'])]}\n", g)  # noqa: S102
    b = StateGraph(MessagesState)
    for i in range(5):
        b.add_node(f"step{i}", g["agent"])
    b.add_node("tools", ToolNode([lookup]))
    b.add_edge(START, "step0")
    for i in range(4):
        b.add_edge(f"step{i}", f"step{i + 1}")
    b.add_conditional_edges("step4", tools_condition)
    b.add_edge("tools", "step0")
    assert _timed(b) < 10.0  # a RecursionError before the walk read helpers from a queue


def test_a_supervisor_with_agents_that_hand_off_to_each_other_is_checked_in_time() -> None:
    registry = types.ModuleType("rt59b_registry")
    registry.__file__ = "/srv/app/rt59b_registry.py"
    registry.AGENTS = {}
    sys.modules[registry.__name__] = registry
    g: dict[str, Any] = {"registry": registry, "model": model}
    exec("def handoff(state):\n    target = state['messages'][-1].content\n"  # noqa: S102
         "    if target in registry.AGENTS:\n        return registry.AGENTS[target].invoke(state)\n"
         "    return {'messages': [model.invoke(state['messages'])]}\n", g)
    for i in range(8):
        b = tool_loop(g["handoff"], ToolNode([lookup]))
        registry.AGENTS[f"agent{i}"] = graphs.guard_graph(b, [ok], check=False)
    sup = StateGraph(MessagesState)
    sup.add_node("supervisor", g["handoff"])
    sup.add_edge(START, "supervisor")
    assert _timed(sup) < 5.0  # each graph once a check: 8 agents took ~20 s when walked per ordering
