"""The coverage check: no node of a graph may execute an effect without a guard node's mediation.

One walker serves both layers. It reads each node of a graph (a `StateGraph` builder or a compiled
graph) and everything the node's code can reach: `ToolNode`s, fallbacks, bindings, sequences and
parallels, compiled subgraphs, and the callables inside nodes — functions (their globals, closure and
same-module helpers), bound methods (the attributes of the instance that the code names, and the
instance's methods it calls), `functools.partial`s (their bound arguments) and callable objects.
LangChain's and LangGraph's own code is trusted; a node whose code cannot be read is reported.

What it looks for is a `Policy`: the kernel's finds `vfa.Effect`s, directly or inside LangChain
tools; `graphs` finds every tool not listed read-only. A `GuardNode`, or any object with
`__vfa_mediated__` in its own `__dict__`, mediates what it holds and is not walked into.
LangChain and LangGraph are recognised by duck-typing (class names and modules): no import here.
"""

from __future__ import annotations

import collections
import dis
import functools
import sysconfig
import types
from collections.abc import Iterator, Mapping
from typing import Any

from ._effects import Effect
from ._exceptions import CoverageError
from ._guard_node import GuardNode

__all__ = ["Policy", "check_coverage", "effect_of", "tool_nodes", "unmediated_nodes", "walk"]

_TRUSTED = frozenset({"langchain", "langgraph", "langchain_core"})
_DEPTH = 8

Found = list[tuple[str, str]]


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
            nodes=tuple(dict.fromkeys(node for node, _ in found)))


def unmediated_nodes(graph: Any, prefix: str = "") -> Found:
    """(node name, reason) for every node that reaches an effect outside a guard node."""
    return walk(graph, Policy(), prefix)


def walk(graph: Any, policy: Policy, prefix: str = "") -> Found:
    """(node path, reason) for every node of `graph` that reaches what `policy` looks for, unmediated."""
    walker = _Walker(policy, set())
    walker.graph(graph, prefix)
    return list(dict.fromkeys(walker.found))


class Policy:
    """What the walker looks for, and what stops it. This one finds `vfa.Effect`s.

    Override `value` (a value a node's code holds) and `tool_node` (the tools of a `ToolNode`) to
    look for something else; `mediated` to change what the walk does not enter.
    """

    noun = "effects"  # "the graph ..., whose nodes a, b run {noun} without guards"

    def mediated(self, obj: Any) -> bool:
        """A guard node, or an object marked `__vfa_mediated__` in its own `__dict__`."""
        # the instance's own dict: RunnableWithFallbacks forwards unknown attributes to the runnable
        # it wraps, which would let a mediated primary vouch for an unmediated fallback
        try:
            own = getattr(obj, "__dict__", None)
            return isinstance(obj, GuardNode) or bool(isinstance(own, dict) and own.get("__vfa_mediated__"))
        except Exception:  # noqa: BLE001 - an object that cannot be read (a context proxy) is no gate
            return False

    def value(self, v: Any, where: str) -> str | None:
        """Why a node holding `v` (in a global, a closure cell, an attribute, a partial) is unmediated."""
        eff = effect_of(v)
        return None if eff is None else f"calls the effect {eff.name!r} directly {where}"

    def tool_node(self, tools: dict[str, Any]) -> str | None:
        """Why a tool node with these tools (name -> tool), which runs them directly, is unmediated."""
        names = sorted(n for n, t in tools.items() if effect_of(t) is not None)
        return f"a tool node that executes the effects {', '.join(names)} without guards" if names else None

    def gated_tools(self, tools: dict[str, Any], gates: list[Any]) -> str | None:
        """Why a tool node whose calls these gates (its middlewares that are mediated, or itself: a gated tool
        node, a guard node) wrap is unmediated all the same; none here (a policy with a flow names the tools a
        gate without it leaves unlabelled)."""
        return None

    def known(self, fn: Any) -> bool:
        """A function `value` answers for, so the walk does not read its code."""
        return False

    def for_graph(self, graph: Any) -> Policy:
        """The policy for a compiled graph that a node's code holds (and may invoke)."""
        return self

    def unreadable(self, path: str, fn: Any) -> str:
        return (f"cannot inspect node {path!r}: it runs {type(fn).__name__} {fn!r:.60}, which is not Python "
                f"code, so what it calls cannot be checked; wrap it in a function of your own")


def effect_of(v: Any) -> Effect | None:
    """`v` itself if it is an `Effect`, or the effect a LangChain tool runs (`tool.func`, `tool.coroutine`)."""
    if isinstance(v, Effect):
        return v
    for attr in ("func", "coroutine"):
        inner = _attr(v, attr)
        if isinstance(inner, Effect):
            return inner
    return None


def tool_nodes(graph: Any) -> Iterator[dict[str, Any]]:
    """The tools (name -> tool) of every tool node in `graph`, its fallbacks and compiled subgraphs."""

    def visit(obj: Any, depth: int) -> Iterator[dict[str, Any]]:
        if depth > 12 or obj is None:
            return
        nodes = _nodes(obj) if depth == 0 or _is_graph(obj) else None
        if nodes is not None:
            for spec in nodes.values():
                yield from visit(_runnable(spec), depth + 1)
        elif (tools := _tools(obj)) is not None:
            yield tools
        else:
            for part in _parts(obj) or ():
                yield from visit(part, depth + 1)

    yield from visit(graph, 0)


class _Walker:
    def __init__(self, policy: Policy, active: set[int], graphs: dict[int, Found] | None = None) -> None:
        self.policy = policy
        self.active = active  # ids of the graphs being walked: a node may hold its own graph
        self.graphs = graphs if graphs is not None else {}  # id(held graph) -> its findings, once a check
        self.found: Found = []
        self._queue: collections.deque[tuple[Any, Any]] | None = None  # functions still to read, in turn

    def graph(self, graph: Any, prefix: str) -> None:
        nodes = _nodes(graph)
        if nodes is None:
            raise TypeError(f"expected a StateGraph or a compiled graph, got {type(graph).__name__}")
        if id(graph) in self.active:
            return
        self.active.add(id(graph))
        try:
            default = _cache_default(graph)
            for name, spec in nodes.items():
                cached = _attr(spec, "cache_policy") or (None if _attr(spec, "is_error_handler") else default)
                if cached is not None and self.gated(_runnable(spec), 0):
                    self.found.append((prefix + name, _CACHED))
                for why in self.node(_runnable(spec), prefix + name, 0):
                    self.found.append((prefix + name, why))
        finally:
            self.active.discard(id(graph))

    def gated(self, obj: Any, depth: int) -> bool:
        """Whether a node's runnable runs calls through a gate (a guard node, a gated tool node, an effect
        node, a tool node a `GuardMiddleware` wraps), itself, in a part or in a compiled subgraph."""
        if depth > _DEPTH or obj is None:
            return False
        if self.policy.mediated(obj):
            return True
        parts = _parts(obj)
        if parts is not None:
            return any(self.gated(part, depth + 1) for part in parts)
        if _is_graph(obj):
            return any(self.gated(_runnable(spec), depth + 1) for spec in (_nodes(obj) or {}).values())
        return _tools(obj) is not None and _gated_by_wrapper(obj, self.policy)

    def node(self, obj: Any, path: str, depth: int) -> Iterator[str]:
        """What a node's runnable can reach."""
        if depth > _DEPTH or obj is None:
            return
        if self.policy.mediated(obj):
            tools = _tools(obj) or _spec_tools(obj)
            why = self.policy.gated_tools(tools, [obj])  # a gated tool node or a guard node: whose flow gates it
            if why:
                yield why
            yield from self.agents_in_tools(tools)
            return
        parts = _parts(obj)
        if parts is not None:  # fallbacks, bindings (.with_retry, .with_config), sequences, parallels
            for part in parts:
                yield from self.node(part, path, depth + 1)
            return
        if _is_graph(obj):
            self.graph(obj, path + "/")  # a compiled subgraph used as a node
            return
        tools = _tools(obj)
        if tools is not None and _gated_by_wrapper(obj, self.policy):  # create_agent's, with a GuardMiddleware
            why = self.policy.gated_tools(tools, _gates_of(obj, self.policy))
            if why:
                yield why
            yield from self.agents_in_tools(tools)
            return
        if tools is not None:  # a ToolNode (or look-alike) runs its tools directly
            why = self.policy.tool_node(tools)
            if why:
                yield why
            return
        why = self.value(obj, "(it is the node)")  # e.g. a tool added as a node
        if why:
            yield why
            return
        seen: set[int] = set()
        held = ("_transform", "_atransform") if _lc(obj, "RunnableGenerator") else ("func", "afunc")
        fns = [fn for fn in (getattr(obj, a, None) for a in held) if fn is not None]
        for fn in fns:
            yield from self.callable(fn, path, seen, depth)
        if isinstance(obj, (types.FunctionType, types.MethodType)):  # a listener, a callback handler's method
            yield from self.callable(obj, path, seen, depth)
        elif not fns and _lc(obj, "Runnable") and not _trusted(obj):  # a Runnable of your own
            for attr in ("invoke", "ainvoke"):
                yield from self.function(_class_attribute(type(obj), attr), seen, owner=obj)

    def callable(self, fn: Any, path: str, seen: set[int], depth: int) -> Iterator[str]:
        """What a node's callable can reach: a function, a bound method, a partial or a callable object."""
        if depth > _DEPTH or self.policy.mediated(fn):
            return
        why = self.value(fn, "(it is the node's function)")
        if why:
            yield why
            return
        if isinstance(fn, functools.partial):
            inner = _innermost(fn)
            where = f"(partial of {getattr(inner, '__qualname__', type(inner).__name__)})"
            if _trusted(inner):
                # LangChain's own function (running a sync node in an executor, whose function is read
                # as the node's): its code is not read, but a tool or an effect bound into it is what
                # it runs (`partial(BaseTool.invoke, tool)`)
                part: Any = fn
                while isinstance(part, functools.partial):
                    for v in (*part.args, *part.keywords.values()):
                        why = self.value(v, where)
                        if why:
                            yield why
                    part = part.func
                return
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
        elif _lc(fn, "Runnable"):
            yield from self.node(fn, path, depth + 1)
        elif isinstance(getattr(type(fn), "__call__", None), types.FunctionType):
            yield from self.function(type(fn).__call__, seen, owner=fn)  # a callable object
        elif not _trusted(fn):
            yield self.policy.unreadable(path, fn)

    def function(self, fn: Any, seen: set[int], owner: Any = None) -> Iterator[str]:
        """What a function can reach through its globals, closure, defaults and the app's helpers.

        For a method, also the attributes of its instance (`owner`) that its code names, and the
        methods of the instance's class that it calls. The helpers a function reaches are read in turn
        from a queue, not by recursion: an app's call graph may be thousands of functions deep.
        """
        if self._queue is not None:  # inside a reading: this one is read in its turn
            self._queue.append((fn, owner))
            return
        self._queue = queue = collections.deque([(fn, owner)])
        try:
            while queue:
                f, o = queue.popleft()
                yield from self._read(f, seen, o)
        finally:
            self._queue = None

    def _read(self, fn: Any, seen: set[int], owner: Any = None) -> Iterator[str]:
        fn = getattr(fn, "__func__", fn)
        if id(fn) in seen or not isinstance(fn, types.FunctionType) or self.policy.mediated(fn):
            return
        if _trusted(fn):
            # LangChain's own nodes hold tools to bind them to the model, and are trusted like ToolNode;
            # the app's code they wrap (an `@after_model` hook, a `@wrap_model_call` middleware) is read
            seen.add(id(fn))
            yield from self.wrapped(fn, seen, 0)
            return
        seen.add(id(fn))
        names = set(_code_names(fn.__code__))
        bound = _bound_only(fn.__code__)  # handed to `bind_tools` only: a model bound to tools runs none of them
        values = [fn.__globals__[n] for n in names if n in fn.__globals__ and n not in bound]
        values += [c.cell_contents for n, c in zip(fn.__code__.co_freevars, fn.__closure__ or ())
                   if n not in bound and _has_contents(c)]
        values += [*(fn.__defaults__ or ()), *(fn.__kwdefaults__ or {}).values()]  # `t=send_email`
        methods: list[tuple[Any, Any]] = []  # (a method the code names, the instance or class it is read with)
        if owner is not None:
            attrs = {n: a for n in names - bound if (a := _named(owner, n)) is not None} if isinstance(owner, type) \
                else _attributes(owner, names - bound)
            values += attrs.values()
            for n in names - set(attrs):
                m = _class_attribute(owner if isinstance(owner, type) else type(owner), n)
                m = m.__func__ if isinstance(m, (staticmethod, classmethod)) else m
                if isinstance(m, types.FunctionType):
                    methods.append((m, owner))
                elif m is not None and not isinstance(m, property) and not _trusted(type(owner)):
                    values.append(m)  # a class attribute read through the instance (`self.tool`)
        # `module.tool`, `Tools.tool`, `settings.tool`, `app.tools.tool`, `mailer.notify`: what the code names
        # on a module, class, namespace or app object it holds (reached through others too, a few levels)
        reached = [item for v in values for item in _contents(v)]
        for _level in range(3):
            more = [a for v in reached if _namespace(v) or _app_object(v) for n in names
                    if (a := _named(v, n)) is not None
                    and not (isinstance(v, type) and isinstance(a, types.FunctionType))]  # a method: below
            more += [a for v in reached for n in names & _exposes(v) if (a := _named(v, n)) is not None]
            more = [a for a in more if all(a is not r for r in reached)]
            if not more:
                break
            values += more
            reached += [item for v in more for item in _contents(v)]
        for v in reached:  # an app object's (or class's) methods the code names, read with it as their owner
            if _app_object(v) or (isinstance(v, type) and _namespace(v)):
                klass = v if isinstance(v, type) else type(v)
                for n in (*names, "__call__"):  # a held object may be called
                    m = _class_attribute(klass, n)
                    m = m.__func__ if isinstance(m, (staticmethod, classmethod)) else m
                    if isinstance(m, types.FunctionType) and not _trusted(m):
                        methods.append((m, v))
        yield from self.held_all(values, f"(function {fn.__qualname__})", seen, fn.__module__)
        for m, o in methods:
            yield from self.function(m, seen, owner=o)  # self.helper(), mailer.notify(): with their instance

    def wrapped(self, fn: types.FunctionType, seen: set[int], depth: int) -> Iterator[str]:
        """The app's functions a LangChain function holds in its closure (through LangChain's own
        functions, bound methods and partials in between), each read as a node's function."""
        if depth > 4:
            return
        for c in fn.__closure__ or ():
            if not _has_contents(c):
                continue
            v = c.cell_contents
            owner = v.__self__ if isinstance(v, types.MethodType) else None
            v = v.__func__ if isinstance(v, types.MethodType) else v.func if isinstance(v, functools.partial) else v
            if not isinstance(v, types.FunctionType) or id(v) in seen:
                continue
            if _trusted(v):
                seen.add(id(v))
                yield from self.wrapped(v, seen, depth + 1)
            else:
                yield from _Walker(_Within(self.policy, effects=True), self.active).function(v, seen, owner=owner)

    def agents_in_tools(self, tools: Mapping[str, Any]) -> Iterator[str]:
        """What the code of a gated tool node's tools reaches that no gate of this graph sees: a compiled
        graph with unguarded nodes (an agent run as a tool: its own model proposes the calls) or a
        tool node it runs itself. What else a tool's code calls is the tool's own effect, verified as
        its call."""
        inside = _Walker(_Within(self.policy, effects=False), self.active)
        for name, t in tools.items():
            seen: set[int] = set()
            fns = [t if isinstance(t, types.FunctionType) else None, _attr(t, "func"),
                   _attr(t, "coroutine"), _attr(t, "__wrapped__")]  # a function, a tool, an effect
            for attr in ("_run", "_arun"):  # a BaseTool subclass of the app's own
                m = getattr(type(t), attr, None)
                if isinstance(m, types.FunctionType) and not _trusted(m):
                    fns.append(types.MethodType(m, t))
            for fn in fns:
                if fn is None:
                    continue
                owner = _attr(fn, "__self__")  # a bound method's instance: the attributes its code names
                for why in inside.function(fn, seen, owner=None if isinstance(owner, types.ModuleType) else owner):
                    yield f"{why} (inside the tool {name!r})"

    def held_all(self, values: list[Any], where: str, seen: set[int], module: str | None) -> Iterator[str]:
        for v in values:
            for item in _contents(v):
                try:
                    why = self.value(item, where)
                except Exception:  # noqa: BLE001 - a value that cannot be read (a context proxy) holds nothing readable
                    continue
                if why:
                    yield why
                    break
                if (isinstance(item, types.FunctionType) and item is not v and _app_code(item)
                        and not self.policy.mediated(item) and not self.policy.known(item)):
                    yield from self.function(item, seen)  # behind a wrapper (a cache, a partial): the app's own
            if (isinstance(v, types.FunctionType) and (v.__module__ == module or _app_code(v))
                    and not self.policy.known(v)):
                yield from self.function(v, seen)  # a helper of the app's (this module's or another) may call it

    def held(self, v: Any, where: str, seen: set[int]) -> Iterator[str]:
        """A value bound into a partial (or a builtin method): a tool, or a function that may call one."""
        yield from self.held_all([v], where, seen, None)
        if isinstance(v, types.FunctionType) and not self.policy.known(v):
            yield from self.function(v, seen)

    def value(self, v: Any, where: str) -> str | None:
        if self.policy.mediated(v):
            return None
        why = self.policy.value(v, where)
        if why is None and _parts(v) is None and not _is_graph(v):
            # a tool node the node's code holds, to run it (a wrapper that logs) or to read its tools,
            # which hands them out ungated: hold the tools' names instead
            tools = _tools(v)
            if tools is not None and not _gated_by_wrapper(v, self.policy):
                why = self.policy.tool_node(tools)
                why = why and f"holds {why} {where} (hold its tools' names, not the ToolNode)"
        if why is None and (_is_graph(v) or _lc(v, "StateGraph")) and id(v) not in self.active:
            # a compiled graph, or a builder the code compiles and runs itself: walked once a check (agents
            # that hand off to each other through a registry would be walked once per ordering)
            found = self.graphs.get(id(v))
            if found is None:
                self.graphs[id(v)] = []  # reached again inside itself: nothing more than this walk finds
                inner = _Walker(self.policy.for_graph(v), self.active, self.graphs)
                inner.graph(v, "")
                found = self.graphs[id(v)] = inner.found
            if found:
                why = (f"runs the graph {getattr(v, 'name', '?')!r} {where}, whose nodes "
                       f"{', '.join(sorted({n for n, _ in found}))} run {self.policy.noun} without guards")
        return why


def _trusted(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) if isinstance(obj, (types.FunctionType, type)) else type(obj).__module__
    return (module or "").split(".")[0] in _TRUSTED


_CACHED = ("its cache policy answers the calls it runs from LangGraph's node cache, past the guards: the cache is "
           "keyed by the node's input, never by thread or user, so a call is answered with another conversation's "
           "result, unjudged, unjournaled and unlabelled; remove the node's cache_policy (and the graph's default, "
           "`set_node_defaults(cache_policy=...)`), and cache inside the tool instead, where what it returns is judged")
"""Why a node that runs calls through a gate must not be cached (`_Walker.gated`)."""


def _cache_default(graph: Any) -> Any:
    """The cache policy a graph gives its regular nodes that set none: a compiled graph's own, else its
    builder's `set_node_defaults` (applied to the node specs only when the builder is compiled)."""
    return _attr(graph, "cache_policy") or _attr(_attr(getattr(graph, "builder", graph), "_node_defaults"), "cache_policy")


def _lc(obj: Any, name: str) -> bool:
    """`obj` is an instance of the LangChain or LangGraph class `name` (duck-typed: nothing is imported)."""
    return any(k.__name__ == name and _trusted(k) for k in type(obj).__mro__)


def _nodes(graph: Any) -> dict[str, Any] | None:
    nodes = getattr(getattr(graph, "builder", graph), "nodes", None)
    return nodes if isinstance(nodes, dict) else None


def _is_graph(obj: Any) -> bool:
    """A compiled graph (a LangGraph `Pregel`): with the builder its nodes come from, or its nodes alone
    (a functional-API `@entrypoint`, whose one node runs the workflow's function)."""
    return _lc(obj, "Pregel") and (isinstance(getattr(getattr(obj, "builder", None), "nodes", None), dict)
                                   or isinstance(getattr(obj, "nodes", None), dict))


def _runnable(spec: Any) -> Any:
    """What a node of a graph runs: a builder's node spec's runnable, a compiled node's bound runnable."""
    runnable = getattr(spec, "runnable", None)
    if runnable is not None:
        return runnable
    return spec.bound if _lc(spec, "PregelNode") else spec


def _attr(obj: Any, name: str) -> Any:
    """`getattr(obj, name, None)`, also for an object whose `__getattr__` raises something else (a proxy
    of a context variable, say): the walk reads what nodes hold, whatever it is."""
    try:
        return getattr(obj, name, None)
    except Exception:  # noqa: BLE001 - an attribute that cannot be read is not there
        return None


def _tools(obj: Any) -> dict[str, Any] | None:
    tools = _attr(obj, "tools_by_name")
    return tools if isinstance(tools, dict) else None


def _parts(obj: Any) -> list[Any] | None:
    """The runnables a LangChain composite runs (checked first: RunnableWithFallbacks forwards getattr)."""
    if _lc(obj, "RunnableWithFallbacks"):
        return [obj.runnable, *obj.fallbacks]
    if _lc(obj, "RunnableBindingBase"):  # RunnableBinding, and RunnableRetry (`.with_retry()`)
        # and the app's listeners (`.with_listeners(on_start=...)`), held by its config factories
        listeners = [c.cell_contents for f in (getattr(obj, "config_factories", None) or ())
                     for c in (getattr(f, "__closure__", None) or ())
                     if _has_contents(c) and isinstance(c.cell_contents, types.FunctionType)]
        return [obj.bound, *listeners, *_handler_methods(getattr(obj, "config", None))]
    if _lc(obj, "RunnableSequence"):
        return list(obj.steps)
    if _lc(obj, "RunnableParallel"):
        return list(obj.steps__.values())
    if _lc(obj, "RunnableBranch"):  # its conditions are the app's code too
        return [*(r for branch in obj.branches for r in branch), obj.default]
    if _lc(obj, "RunnableAssign"):
        return [obj.mapper]
    if _lc(obj, "RunnableEachBase"):  # `.map()`
        return [obj.bound]
    if _lc(obj, "RouterRunnable"):
        return list(obj.runnables.values())
    if _lc(obj, "RunnableConfigurableAlternatives"):  # an alternative may be a factory: read as a function
        return [obj.default, *obj.alternatives.values()]
    if _lc(obj, "DynamicRunnable"):  # `.configurable_fields()`
        return [obj.default]
    return None


def _handler_methods(config: Any) -> list[Any]:
    """The app's callback code a binding's config holds (`with_config(callbacks=[handler])`), which
    LangChain runs around the node: each `on_*` method the handler's own class (not LangChain's) defines,
    bound to it. Handlers given as a list or a callback manager (its handlers and inheritable ones)."""
    callbacks = config.get("callbacks") if isinstance(config, Mapping) else None
    if callbacks is None:
        return []
    handlers = list(callbacks) if isinstance(callbacks, (list, tuple)) else [
        *(_attr(callbacks, "handlers") or ()), *(_attr(callbacks, "inheritable_handlers") or ())]
    out, seen = [], set()
    for h in handlers:
        if id(h) in seen or _trusted(h):  # a manager holds most handlers twice (inheritable too)
            continue
        seen.add(id(h))
        for name in dir(type(h)):
            m = _class_attribute(type(h), name) if name.startswith("on_") else None
            if isinstance(m, types.FunctionType) and not _trusted(m):
                out.append(types.MethodType(m, h))
    return out


def _contents(v: Any, depth: int = 0) -> list[Any]:
    """`v` and what stands behind it: a container's items (nested up to three deep, 64 a level), a bound
    method's instance, a partial's function and arguments, a wrapper's `__wrapped__` chain."""
    out = [v]
    if depth > 3:
        return out
    try:
        if isinstance(v, (list, tuple, set, frozenset, dict)):
            items = list(v.values() if isinstance(v, dict) else v)[:64]
        elif isinstance(v, types.MethodType):
            items = [v.__self__, v.__func__]
        elif isinstance(v, functools.partial):
            items = [v.func, *v.args, *v.keywords.values()]
        else:
            inner = _attr(v, "__wrapped__") if not isinstance(v, type) else None
            items = [inner] if inner is not None and inner is not v else []
    except Exception:  # noqa: BLE001 - a value that cannot be read (a context proxy) holds nothing readable
        return out
    for item in items:
        out += _contents(item, depth + 1)
    return out


_LIBRARY = ("site-packages", "dist-packages", "<frozen", sysconfig.get_paths()["stdlib"])


def _app_code(fn: types.FunctionType) -> bool:
    """Whether a function is the app's own code (followed wherever it lives), not a library's or vfa's."""
    top = (fn.__module__ or "").split(".")[0]
    if top in _TRUSTED or top in ("vfa", "guards", "graphs"):
        return False
    path = fn.__code__.co_filename
    return not any(mark in path for mark in _LIBRARY)


def _exposes(v: Any) -> frozenset[str]:
    """The attributes of a mediated object that hand out what it mediates (`__vfa_unmediated__`: a gated
    tool's `tool`): code naming one on it holds that, ungated."""
    try:
        return frozenset(getattr(type(v), "__vfa_unmediated__", ()))
    except Exception:  # noqa: BLE001 - a value whose type cannot be read names nothing
        return frozenset()


def _namespace(v: Any) -> bool:
    """A held module, class or plain namespace of the app's, whose attributes its code may name."""
    if isinstance(v, types.ModuleType):  # one made at run time has no file
        path = getattr(v, "__file__", None) or ""
        return not any(mark in path for mark in _LIBRARY) and not _trusted_module(v.__name__)
    if isinstance(v, type):
        return not _trusted(v) and not _trusted_module(v.__module__)
    return isinstance(v, types.SimpleNamespace)


def _app_object(v: Any) -> bool:
    """An instance of a class of the app's (a service, a config): the attributes its code names are read."""
    klass = type(v)
    if isinstance(v, (type, types.ModuleType, types.FunctionType, types.MethodType, functools.partial)):
        return False
    return klass.__module__ not in ("builtins", "types") and not _trusted(klass) and not _trusted_module(klass.__module__)


def _trusted_module(name: str) -> bool:
    return (name or "").split(".")[0] in (*_TRUSTED, "vfa", "guards", "graphs", "builtins")


def _named(v: Any, name: str) -> Any:
    """An attribute of a held namespace or object, read without running a property (its own dict and
    slots, then its class's non-function attributes)."""
    try:
        return _named_attribute(v, name)
    except Exception:  # noqa: BLE001 - an object that cannot be read (a context proxy) names nothing readable
        return None


def _named_attribute(v: Any, name: str) -> Any:
    if isinstance(v, type):
        found = _class_attribute(v, name)
        return found.__func__ if isinstance(found, (staticmethod, classmethod)) else found
    own = _attributes(v, {name}) if not isinstance(v, types.ModuleType) else {}
    if name in own:
        return own[name]
    d = getattr(v, "__dict__", None)
    if isinstance(d, dict) and name in d:
        return d[name]
    found = _class_attribute(type(v), name) if not isinstance(v, types.ModuleType) else None
    return None if isinstance(found, (types.FunctionType, property, staticmethod, classmethod)) else found


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


_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_CLASSDEREF"})


@functools.lru_cache(maxsize=4096)
def _bound_only(code: types.CodeType) -> frozenset[str]:
    """The names (globals, closure cells, `self.` attributes) a function's code loads only to hand them
    straight to a `.bind_tools(...)` call: binding tools to a model hands the model their schemas and
    runs none of them (`model.bind_tools(TOOLS).invoke(...)`, `self.model.bind_tools(self.tools)`)."""
    loads: collections.Counter[str] = collections.Counter()
    bound: collections.Counter[str] = collections.Counter()
    for c in _codes(code):
        ins = list(dis.get_instructions(c))
        for k, i in enumerate(ins):
            if not isinstance(i.argval, str):
                continue
            if i.opname in _LOADS:
                before = k - 1
            elif i.opname in ("LOAD_ATTR", "LOAD_METHOD") and k and ins[k - 1].opname == "LOAD_FAST" and ins[k - 1].argval == "self":
                before = k - 2
            else:
                continue
            loads[i.argval] += 1
            after = ins[k + 1] if k + 1 < len(ins) else None
            # the sole argument of the call: not itself called (`bind_tools(make_tools())` runs make_tools)
            if (before >= 0 and ins[before].argval == "bind_tools" and ins[before].opname in ("LOAD_METHOD", "LOAD_ATTR")
                    and after is not None and after.opname in ("PRECALL", "CALL") and after.arg == 1):
                bound[i.argval] += 1
    return frozenset(n for n, count in bound.items() if count == loads[n])


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


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


class _Within(Policy):
    """What code behind a gate or inside LangChain may reach past the graph's gates, as `policy` judges it:
    graphs with unguarded nodes and tool nodes it runs; with `effects`, the effects it holds too. Not the
    tools it holds (an effect's tool among them): a gated tool's own work is verified as its call, and a
    model hook hands its tools to the model (`model.bind_tools(tools)` in a dynamic model is no call)."""

    def __init__(self, policy: Policy, *, effects: bool) -> None:
        self.outer = policy
        self.noun = policy.noun
        self.effects = effects

    def mediated(self, obj: Any) -> bool:
        return self.outer.mediated(obj)

    def value(self, v: Any, where: str) -> str | None:
        # an effect itself, not a tool that runs one: a hook hands such a tool to the model as any other
        return f"calls the effect {v.name!r} directly {where}" if self.effects and isinstance(v, Effect) else None

    def tool_node(self, tools: dict[str, Any]) -> str | None:
        return self.outer.tool_node(tools)

    def gated_tools(self, tools: dict[str, Any], gates: list[Any]) -> str | None:
        return self.outer.gated_tools(tools, gates)

    def for_graph(self, graph: Any) -> Policy:
        return self.outer.for_graph(graph)


def _gated_by_wrapper(obj: Any, policy: Policy) -> bool:
    """Whether a tool node's tool-call wrappers (create_agent's chain of middlewares) each reach a gate
    (a bound method of a mediated object: a `GuardMiddleware`) and no middleware of the app's own, which
    could run a tool itself before the gate sees the call (only LangChain's own may stand beside it)."""
    sync = _attr(obj, "_wrap_tool_call")
    if sync is None:  # a sync run calls the tools unwrapped, whatever wraps the async side
        return False
    wrappers = [w for w in (sync, _attr(obj, "_awrap_tool_call")) if w is not None]
    for w in wrappers:
        owners: list[Any] = []
        _owners(w, owners, 0)
        if not any(policy.mediated(o) for o in owners) or any(
                not policy.mediated(o) and not _langchain_own(o) for o in owners):
            return False
    return True


def _gates_of(obj: Any, policy: Policy) -> list[Any]:
    """The mediated owners (the gates) a tool node's tool-call wrappers reach."""
    owners: list[Any] = []
    for w in (_attr(obj, "_wrap_tool_call"), _attr(obj, "_awrap_tool_call")):
        _owners(w, owners, 0)
    return [o for o in owners if policy.mediated(o)]


def _langchain_own(owner: Any) -> bool:
    """Whether a middleware's tool-call hooks are LangChain's own code: its class is LangChain's and its
    `wrap_tool_call` and `awrap_tool_call` hold no code of the app's own (a middleware `@wrap_tool_call`
    makes from the app's function, bound method or callable has a LangChain class, not LangChain's code;
    a callback LangChain's own middleware calls, such as `retry_on`, runs no tool call)."""
    if not _trusted(owner):
        return False
    return not any(_foreign_code(_attr(type(owner), name), 0) for name in ("wrap_tool_call", "awrap_tool_call"))


def _foreign_code(v: Any, depth: int) -> bool:
    """Whether `v` is, or holds in its closures, code of the app's own: a function, a bound method, a
    callable object or a partial of one."""
    if depth > 4 or v is None:
        return False
    v = v.__func__ if isinstance(v, (staticmethod, classmethod, types.MethodType)) else v
    if isinstance(v, functools.partial):
        return _foreign_code(v.func, depth + 1)
    if isinstance(v, types.FunctionType):
        if not _trusted(v):
            return True
        return any(_foreign_code(c.cell_contents, depth + 1) for c in v.__closure__ or () if _has_contents(c))
    return callable(v) and not isinstance(v, type) and not _trusted(v)  # an object of the app's own class


def _owners(fn: Any, out: list[Any], depth: int) -> None:
    """The objects whose bound methods a wrapper reaches through closures and partials."""
    if fn is None or depth > 8:
        return
    owner = _attr(fn, "__self__")
    if owner is not None and not isinstance(owner, types.ModuleType):
        out.append(owner)
        return
    if isinstance(fn, functools.partial):
        _owners(fn.func, out, depth + 1)
        return
    f = _attr(fn, "__func__") or fn
    for c in _attr(f, "__closure__") or ():
        if _has_contents(c) and callable(c.cell_contents):
            _owners(c.cell_contents, out, depth + 1)


def _spec_tools(obj: Any) -> dict[str, Any]:
    """The tools a guard node runs (what each was made from: an effect, a function, a tool)."""
    specs = getattr(obj, "specs", None) if isinstance(obj, GuardNode) else None
    return {name: spec.source or spec.fn for name, spec in specs.items()} if isinstance(specs, dict) else {}
