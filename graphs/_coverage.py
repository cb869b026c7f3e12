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

import functools
import types
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.runnables import Runnable, RunnableBinding, RunnableSequence, RunnableWithFallbacks
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
        seen: set[int] = set()
        for attr in ("func", "afunc"):
            fn = getattr(obj, attr, None)
            if fn is not None:
                yield from self.callable(fn, path, seen, depth)
        if isinstance(obj, types.FunctionType):
            yield from self.function(obj, seen)

    def callable(self, fn: Any, path: str, seen: set[int], depth: int) -> Iterator[str]:
        """What a node's callable can reach: a function, a bound method, a partial or a callable object."""
        if depth > 8 or _mediated(fn):
            return
        if isinstance(fn, functools.partial):
            inner = _innermost(fn)
            if _trusted(inner):
                return  # LangChain's own wrappers (e.g. running a sync node in an executor)
            where = f"(partial of {getattr(inner, '__qualname__', type(inner).__name__)})"
            for v in (*fn.args, *fn.keywords.values()):
                yield from self.held(v, where, seen)
            yield from self.callable(fn.func, path, seen, depth + 1)
        elif isinstance(fn, types.MethodType):
            why = self.value(fn.__self__, f"(method {fn.__func__.__qualname__} of it)")
            if why:
                yield why  # e.g. a node that is `tool.invoke` itself
            yield from self.function(fn.__func__, seen, owner=fn.__self__)
        elif isinstance(fn, types.FunctionType):
            yield from self.function(fn, seen)
        elif isinstance(fn, types.BuiltinFunctionType):
            owner = getattr(fn, "__self__", None)
            if owner is not None and not isinstance(owner, types.ModuleType):
                yield from self.held(owner, f"(bound to {fn.__qualname__})", seen)
        elif isinstance(fn, Runnable):
            yield from self.reasons(fn, path, depth + 1)
        elif isinstance(getattr(type(fn), "__call__", None), types.FunctionType):
            yield from self.function(type(fn).__call__, seen, owner=fn)  # a callable object
        elif not _trusted(fn):
            yield (f"cannot inspect node {path!r}: it runs {type(fn).__name__} {fn!r:.60}, which is not Python "
                   f"code, so what it calls cannot be checked; wrap it in a function of your own, or name the "
                   f"node in effect_nodes")

    def function(self, fn: Any, seen: set[int], owner: Any = None) -> Iterator[str]:
        """What a node function can reach through its globals, closure and same-module helpers.

        For a method, also the attributes of its instance (`owner`) that it names, and the
        methods of the instance's class that it calls.
        """
        fn = getattr(fn, "__func__", fn)
        if id(fn) in seen or not isinstance(fn, types.FunctionType) or _mediated(fn):
            return
        if _trusted(fn):
            return  # LangChain's own nodes hold tools to bind them to the model, and are trusted like ToolNode
        seen.add(id(fn))
        names = set(_code_names(fn.__code__))
        values = [fn.__globals__[n] for n in names if n in fn.__globals__]
        values += [c.cell_contents for c in fn.__closure__ or () if _has_contents(c)]
        methods: list[Any] = []
        if owner is not None:
            attrs = _attributes(owner, names)
            values += attrs.values()
            for n in names - set(attrs):
                m = _class_attribute(type(owner), n)
                if isinstance(m, (staticmethod, classmethod)):
                    m = m.__func__
                if isinstance(m, types.FunctionType):
                    methods.append(m)
        yield from self.held_all(values, f"(function {fn.__qualname__})", seen, fn.__module__)
        for m in methods:
            yield from self.function(m, seen, owner=owner)  # self.helper(): the same instance's method

    def held_all(self, values: list[Any], where: str, seen: set[int], module: str | None) -> Iterator[str]:
        for v in values:
            items = list(v.values() if isinstance(v, dict) else v)[:64] if isinstance(v, (list, tuple, dict)) else [v]
            for item in items:
                why = self.value(item, where)
                if why:
                    yield why
            if isinstance(v, types.FunctionType) and v.__module__ == module and id(v) not in self.functions:
                yield from self.function(v, seen)  # a helper in the same module may call the tool

    def held(self, v: Any, where: str, seen: set[int]) -> Iterator[str]:
        """A value bound into a partial (or a builtin method): a tool, or a function that may call one."""
        yield from self.held_all([v], where, seen, None)
        if isinstance(v, types.FunctionType) and id(v) not in self.functions:
            yield from self.function(v, seen)

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


def _trusted(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) if isinstance(obj, (types.FunctionType, type)) else type(obj).__module__
    return (module or "").split(".")[0] in _TRUSTED


def _innermost(fn: functools.partial) -> Any:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return fn


def _attributes(owner: Any, names: set[str]) -> dict[str, Any]:
    """The instance attributes among `names` (its __dict__ and __slots__), read without running properties."""
    own = getattr(owner, "__dict__", None)
    out = {n: own[n] for n in names if n in own} if isinstance(own, dict) else {}
    for klass in type(owner).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for n in (slots,) if isinstance(slots, str) else slots:
            if n in names and n not in out and hasattr(owner, n):
                out[n] = getattr(owner, n)
    return out


def _class_attribute(klass: type, name: str) -> Any:
    for k in klass.__mro__:
        if name in k.__dict__:
            return k.__dict__[name]
    return None


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
