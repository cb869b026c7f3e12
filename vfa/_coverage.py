"""The coverage check: no node of a graph may execute an effect without a guard node's mediation."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

from ._effects import Effect
from ._exceptions import CoverageError
from ._guard_node import GuardNode

__all__ = ["check_coverage", "unmediated_nodes"]


def check_coverage(graph: Any) -> None:
    """Raise `CoverageError` naming every node that can run an effect without passing the guards.

    Accepts a `StateGraph` builder or a compiled graph; compiled subgraphs are checked too.
    """
    found = unmediated_nodes(graph)
    if found:
        lines = [f"  - node {node!r}: {why}" for node, why in found]
        raise CoverageError(
            "these nodes can execute an effect without the guards:\n" + "\n".join(lines)
            + "\nfix: run tools through a vfa GuardNode (or guard the graph with graphs.guard_graph), and "
              "never call an effect's function from a node of your own",
            nodes=tuple(node for node, _ in found))


def unmediated_nodes(graph: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(node name, reason) for every node that reaches an effect outside a guard node."""
    builder = getattr(graph, "builder", graph)
    nodes = getattr(builder, "nodes", None)
    if not isinstance(nodes, dict):
        raise TypeError(f"expected a StateGraph or a compiled graph, got {type(graph).__name__}")
    out: list[tuple[str, str]] = []
    for name, spec in nodes.items():
        runnable = getattr(spec, "runnable", spec)
        for why in _reasons(runnable, prefix + name, out, depth=0):
            out.append((prefix + name, why))
    return out


def _reasons(obj: Any, path: str, out: list[tuple[str, str]], depth: int) -> Iterator[str]:
    if depth > 8 or obj is None:
        return
    if isinstance(obj, GuardNode) or _marked(obj):
        return
    if getattr(obj, "builder", None) is not None and isinstance(getattr(obj.builder, "nodes", None), dict):
        out.extend(unmediated_nodes(obj, prefix=path + "/"))  # a compiled subgraph used as a node
        return
    tools_by_name = getattr(obj, "tools_by_name", None)
    if isinstance(tools_by_name, dict):  # a ToolNode (or look-alike) executes its tools directly
        effects = sorted(n for n, t in tools_by_name.items() if _effect_of(t) is not None)
        if effects:
            yield f"a tool node that executes the effects {', '.join(effects)} without guards"
        return
    for attr in ("runnable", "bound"):
        inner = getattr(obj, attr, None)
        if inner is not None and inner is not obj:
            yield from _reasons(inner, path, out, depth + 1)
    for inner in getattr(obj, "fallbacks", None) or ():
        yield from _reasons(inner, path, out, depth + 1)
    for inner in getattr(obj, "steps", None) or ():
        yield from _reasons(inner, path, out, depth + 1)
    for attr in ("func", "afunc"):
        fn = getattr(obj, attr, None)
        if fn is not None:
            yield from _function_reasons(fn, set())
    if isinstance(obj, types.FunctionType):
        yield from _function_reasons(obj, set())


def _marked(obj: Any) -> bool:
    # read the object's own __dict__: RunnableWithFallbacks forwards getattr to the runnable it wraps,
    # which would let a mediated primary vouch for an unmediated fallback
    return bool(getattr(obj, "__dict__", {}).get("__vfa_mediated__", False))


def _effect_of(tool: Any) -> Effect | None:
    if isinstance(tool, Effect):
        return tool
    for attr in ("func", "coroutine"):
        inner = getattr(tool, attr, None)
        if isinstance(inner, Effect):
            return inner
    return None


def _function_reasons(fn: Any, seen: set[int]) -> Iterator[str]:
    """Effects a node function can reach: through its globals, its closure, or functions it calls."""
    fn = getattr(fn, "__func__", fn)
    if id(fn) in seen or not isinstance(fn, types.FunctionType) or _marked(fn):
        return
    seen.add(id(fn))
    code = fn.__code__
    names = set(_code_names(code))
    values = [fn.__globals__[n] for n in names if n in fn.__globals__]
    values += [c.cell_contents for c in fn.__closure__ or () if _has_contents(c)]
    for v in values:
        eff = _effect_of(v)
        if eff is not None:
            yield f"calls the effect {eff.name!r} directly (function {fn.__qualname__})"
        elif isinstance(v, types.FunctionType) and v.__module__ == fn.__module__:
            yield from _function_reasons(v, seen)  # a helper in the same module may call the effect
        elif isinstance(v, (list, tuple, dict)):
            items = v.values() if isinstance(v, dict) else v
            for item in list(items)[:64]:
                eff = _effect_of(item)
                if eff is not None:
                    yield f"holds the effect {eff.name!r} and may call it (function {fn.__qualname__})"


def _code_names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_names(const)


def _has_contents(cell: Any) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True
