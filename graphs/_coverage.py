"""The coverage check for retrofitted graphs: which nodes can still run a tool outside the guards.

The kernel's check (`vfa.unmediated_nodes`) finds nodes that reach a declared `vfa.Effect`. A graph
you retrofit has plain LangChain tools, so this check also treats every tool as an effect unless it
is listed `read_only`, and reports, by node name:

- a `ToolNode` with no gate installed (fix: `guard_graph`);
- a node of your own whose function (or a same-module helper it calls) holds a LangChain tool, the
  function behind one, or a compiled graph with unguarded nodes — so it can call `tool.invoke(...)`
  or `tool.func(...)` with no proposal and no verification (fix: `effect_nodes` or `guard_tool`).
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.runnables import RunnableBinding, RunnableSequence, RunnableWithFallbacks
from langgraph.graph import StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.pregel import Pregel

import vfa
from vfa import CoverageError
from vfa._coverage import _code_names, _has_contents  # one walker of code objects and closures

__all__ = ["check_coverage", "unmediated_nodes"]

_TRUSTED = frozenset({"langchain", "langgraph", "langchain_core"})

_FIX = (
    "fix: let the model propose the call so a ToolNode runs it (graphs.guard_graph gates every ToolNode); "
    "or name the node in guard_graph(..., effect_nodes=[...]) so each of its runs is verified and committed; "
    "or call the tool through graphs.guard_tool(tool, gate=...); a tool that changes nothing may be listed "
    "in read_only=[...]"
)


def check_coverage(graph: Any, *, read_only: Sequence[str] = ()) -> None:
    """Raise `vfa.CoverageError` naming every node that can run a tool or effect without the guards."""
    found = unmediated_nodes(graph, read_only=read_only)
    if found:
        lines = [f"  - node {node!r}: {why}" for node, why in found]
        raise CoverageError("these nodes can run a tool or an effect without the guards:\n" + "\n".join(lines)
                            + "\n" + _FIX, nodes=tuple(dict.fromkeys(node for node, _ in found)))


def unmediated_nodes(graph: Any, *, read_only: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(node path, reason) for every node that reaches a tool or an effect outside a gate or guard node."""
    out = list(vfa.unmediated_nodes(graph))
    walker = _Walker(frozenset(read_only), _tool_functions(graph))
    walker.graph(graph, "")
    for item in walker.found:
        if item not in out:
            out.append(item)
    return out


class _Walker:
    def __init__(self, read_only: frozenset[str], functions: dict[int, str]) -> None:
        self.read_only = read_only
        self.functions = functions  # id(function behind a tool) -> tool name
        self.found: list[tuple[str, str]] = []

    def graph(self, graph: Any, prefix: str) -> None:
        builder = getattr(graph, "builder", graph)
        nodes = getattr(builder, "nodes", None)
        if not isinstance(nodes, dict):
            raise TypeError(f"expected a StateGraph or a compiled graph, got {type(graph).__name__}")
        for name, spec in nodes.items():
            for why in self.reasons(getattr(spec, "runnable", spec), prefix + name, 0):
                self.found.append((prefix + name, why))

    def reasons(self, obj: Any, path: str, depth: int) -> Iterator[str]:
        if depth > 8 or obj is None or _mediated(obj):
            return
        inner = _parts(obj)
        if inner is not None:  # fallbacks, bindings (.with_retry, .with_config), sequences
            for part in inner:
                yield from self.reasons(part, path, depth + 1)
            return
        if isinstance(obj, Pregel) and isinstance(getattr(obj, "builder", None), StateGraph):
            self.graph(obj, path + "/")  # a compiled subgraph used as a node
            return
        if isinstance(obj, ToolNode):
            names = sorted(n for n in obj.tools_by_name if n not in self.read_only)
            if names:
                yield f"a ToolNode that runs the tools {', '.join(names)} with no vfa gate"
            return
        for attr in ("func", "afunc"):
            fn = getattr(obj, attr, None)
            if fn is not None and not isinstance(fn, types.MethodType):
                yield from self.function(fn, set())
        if isinstance(obj, types.FunctionType):
            yield from self.function(obj, set())

    def function(self, fn: Any, seen: set[int]) -> Iterator[str]:
        """What a node function can reach through its globals, closure and same-module helpers."""
        fn = getattr(fn, "__func__", fn)
        if id(fn) in seen or not isinstance(fn, types.FunctionType) or _mediated(fn):
            return
        if (fn.__module__ or "").split(".")[0] in _TRUSTED:
            return  # LangChain's own nodes hold tools to bind them to the model, and are trusted like ToolNode
        seen.add(id(fn))
        names = set(_code_names(fn.__code__))
        values = [fn.__globals__[n] for n in names if n in fn.__globals__]
        values += [c.cell_contents for c in fn.__closure__ or () if _has_contents(c)]
        where = f"(function {fn.__qualname__})"
        for v in values:
            items = list(v.values() if isinstance(v, dict) else v)[:64] if isinstance(v, (list, tuple, dict)) else [v]
            for item in items:
                why = self.value(item, where)
                if why:
                    yield why
            if isinstance(v, types.FunctionType) and v.__module__ == fn.__module__ and id(v) not in self.functions:
                yield from self.function(v, seen)  # a helper in the same module may call the tool

    def value(self, v: Any, where: str) -> str | None:
        if _mediated(v):
            return None
        if isinstance(v, BaseTool):
            if v.name in self.read_only:
                return None
            return f"calls the tool {v.name!r} directly {where}, outside any ToolNode, with no verification"
        if id(v) in self.functions and self.functions[id(v)] not in self.read_only:
            return f"calls the function of tool {self.functions[id(v)]!r} directly {where}, with no verification"
        if isinstance(v, Pregel) and isinstance(getattr(v, "builder", None), StateGraph):
            inner = unmediated_nodes(v, read_only=tuple(self.read_only))
            if inner:
                return (f"runs the graph {getattr(v, 'name', '?')!r} {where}, whose nodes "
                        f"{', '.join(sorted({n for n, _ in inner}))} run tools without guards")
        return None


def _mediated(obj: Any) -> bool:
    # read the instance's own dict: wrappers like RunnableWithFallbacks forward unknown attributes
    own = getattr(obj, "__dict__", None)
    return bool(isinstance(own, dict) and own.get("__vfa_mediated__")) or isinstance(obj, vfa.GuardNode)


def _parts(obj: Any) -> list[Any] | None:
    if isinstance(obj, RunnableWithFallbacks):
        return [obj.runnable, *obj.fallbacks]
    if isinstance(obj, RunnableBinding):
        return [obj.bound]
    if isinstance(obj, RunnableSequence):
        return list(obj.steps)
    return None


def _tool_functions(graph: Any) -> dict[int, str]:
    """id(function behind each tool) -> tool name, for every tool in every ToolNode of the graph."""
    out: dict[int, str] = {}

    def visit(obj: Any, depth: int) -> None:
        if depth > 12 or obj is None:
            return
        builder = obj if isinstance(obj, StateGraph) else getattr(obj, "builder", None) if isinstance(obj, Pregel) else None
        if isinstance(builder, StateGraph):  # the graph, or a compiled subgraph
            for spec in builder.nodes.values():
                visit(spec.runnable, depth + 1)
        elif isinstance(obj, ToolNode):
            for t in obj.tools_by_name.values():
                for attr in ("func", "coroutine"):
                    f = getattr(t, attr, None)
                    if f is not None:
                        out[id(getattr(f, "__wrapped__", f))] = t.name
                        out[id(f)] = t.name
        else:
            for part in _parts(obj) or ():
                visit(part, depth + 1)

    visit(graph, 0)
    return out
