"""Retrofit: guard a LangGraph graph you already have, without changing its shape or its tools.

`guard_graph(builder_or_compiled, guards)` returns a new compiled graph in which every `ToolNode`
(also inside `.with_fallbacks(...)`, `.with_retry()`, sequences and compiled subgraphs, and the
one `create_react_agent` / `create_agent` build) runs its tools through a `ToolGate`, and every node
named in `effect_nodes` is verified and committed as one effect. Node names, edges, conditional
routes, checkpointer, store, interrupts and compile options are kept; the user's graph is not
modified.

Why the gate goes inside the user's `ToolNode` (as the innermost `wrap_tool_call`) instead of
replacing it with a `GuardNode`: the `ToolNode` is what injects `InjectedState`, `InjectedStore`,
`InjectedToolCallId`, `ToolRuntime` and the run config, handles `Command` results and applies the
user's own `wrap_tool_call`; keeping it keeps all of that byte for byte. The gate verifies each
call where the tool is invoked and answers a denial with its own message, so a denial never raises
into the node, where a fallback would turn one denial into "every call failed" while the allowed
calls of the same step had in fact committed.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import inspect
import types
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import aclosing
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.runnables import (
    RunnableConfig,
    RunnableSequence,
    RunnableWithFallbacks,
)
from langchain_core.runnables.base import RunnableBindingBase
from langchain_core.runnables.retry import RunnableRetry
from langgraph._internal._constants import CONFIG_KEY_RUNTIME
from langgraph._internal._runnable import RunnableCallable
from langgraph.errors import GraphBubbleUp
from langgraph.graph import StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from langgraph.pregel import Pregel
from langgraph.types import Command, RetryPolicy, Send
from pydantic import BaseModel as PydanticBaseModel

from vfa import ConfigError, EffectJournal, Flow, GuardNode, VfaError
from vfa._compile import atraced_run, lint_scope, own_messages, traced_run
from vfa._escalation import Questions, current_task
from vfa._journal import own_entries
from vfa._tools import name_list

from ._coverage import check_coverage
from ._gate import ToolGate, _thread_id, _Work, a_gate, shared_gate
from ._turn import in_order

__all__ = ["ArgumentsNotApplied", "EffectNode", "guard_graph", "guard_tool_node"]

ArgsOf = Callable[[Any], Mapping[str, Any]]
WithArgs = Callable[[Any, dict[str, Any]], Any]

try:  # the node `compile()` inserts for a builder's `set_node_defaults(error_handler=...)`
    from langgraph.graph.state import _DEFAULT_ERROR_HANDLER_NODE as _DEFAULT_ERROR_HANDLER
except ImportError:  # a LangGraph before node defaults inserts none
    _DEFAULT_ERROR_HANDLER = "__default_error_handler__"

# Compile options a compiled graph carries and a recompiled one must keep.
_KEPT = ("config", "step_timeout", "retry_policy", "cache_policy", "stream_mode", "stream_eager", "stream_transformers")


def guard_graph(
    graph: Any,
    guards: Sequence[Any] = (),
    *,
    effect_nodes: Sequence[str] | Mapping[str, ArgsOf | tuple[ArgsOf, WithArgs] | Mapping[str, Any] | None] = (),
    read_only: Sequence[str] = (),
    journal: EffectJournal | str | None = None,
    world: Any = None,
    flow: Flow | None = None,
    timeout_s: float = 1.0,
    gate: ToolGate | None = None,
    check: bool = True,
    messages_key: str = "messages",
    **compile_options: Any,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Return `graph` compiled with vfa guards at every point where it runs a tool or an effect.

    Args:
        graph: a `StateGraph` builder or a compiled graph (`create_agent`, `create_react_agent`,
            `builder.compile(...)`); it is left unchanged.
        guards: the guard chain, run on every tool call (and every effect node's run), in order.
        effect_nodes: names of your own nodes that act on the world; each run of one is verified
            (as a proposal named after the node) and committed once. A mapping gives, per node, a
            function of the node's input that returns the proposal's arguments (default: none), or a
            pair of it and `with_args(input, args)`, which returns the node's input with the
            arguments a person's edit or a guard's repair gave instead; without it, such a call
            fails unrun (the node acts on its input, which holds the arguments first proposed); or
            a mapping of any of `args_of`, `with_args` and `on_deny(input, message)`, which returns
            the update a denied or rejected run writes (without it: none, and the graph goes on
            along its edges), or raises to stop the run.
        read_only: tools that change nothing: verified, but not write-ahead journaled.
        journal, world, flow, timeout_s: as for `vfa.GuardNode`.
        gate: a `ToolGate` to share with other graphs (its settings replace `timeout_s` and `messages_key`;
            `guards`, `read_only`, `journal`, `world` or `flow` given beside it are a `ConfigError`).
        check: run `graphs.check_coverage` on the result (raises `CoverageError`).
        messages_key: the state key of the conversation, as the graph's `ToolNode`s are given it.
        **compile_options: `checkpointer`, `store`, `interrupt_before`, ... for `compile()`;
            for a compiled graph they default to the graph's own.

    Raises:
        CoverageError: a node can still run an effect outside the guards (named, with the fix).
        ConfigError: an `effect_nodes` name is not a node of the graph, or one without `args_of` in a
            graph with an information flow (its proposal would hold nothing of what it acts on), or a
            `ToolNode` keeps its messages under another key than `messages_key`.
        PolicyError: a guard's `tools` names a tool (or effect node) the graph lacks, so it would
            judge nothing (checked when no shared `gate` is given; a warning where a `ToolNode` has a
            `wrap_tool_call` of its own, which may run other tools), or a guard's own `lint` refuses a tool.
    """
    if check is not True and check is not False:  # None or "no" would skip, or run, the check unasked
        raise TypeError(f"check must be True or False, not {type(check).__name__} {check!r:.60}")
    own = gate is None
    gate = ToolGate(guards, journal=journal, world=world, flow=flow, read_only=read_only, timeout_s=timeout_s,
                    messages_key=messages_key) if own else shared_gate(
        gate, guards=guards or None, journal=journal, world=world, flow=flow, read_only=read_only or None)
    extractors = (dict(effect_nodes) if isinstance(effect_nodes, Mapping)
                  else dict.fromkeys(name_list(effect_nodes, "effect_nodes")))
    guarded = _guard(graph, gate, extractors, compile_options)
    # the key on the class, not the instance: LangGraph's copies (`with_config`, `copy`) keep the class alone
    guarded.__class__ = _owning(type(guarded), gate.node.messages_key)
    if own:  # a shared gate may hold guards for the tools of its other graphs
        for g in gate.node.chain.guards:
            # a tool node with a wrap_tool_call of its own may run a tool it was not built with (a
            # middleware's `request.tool`): there a guard for a tool no node holds is warned of, not refused
            lint_scope(g, gate.node.specs, warn=gate.wraps_tools)
    if check:
        check_coverage(guarded, read_only=gate.read_only, flow=gate.node.flow, gate=gate)
    return guarded


def guard_tool_node(node: ToolNode, gate: ToolGate) -> ToolNode:
    """A copy of a `ToolNode` whose tools run through `gate`, innermost under its own `wrap_tool_call`."""
    if not isinstance(node, ToolNode):
        raise TypeError(f"node must be a langgraph ToolNode, not {type(node).__name__}")
    a_gate(gate, "gate")
    if node.__dict__.get("__vfa_mediated__"):
        if node.__dict__.get("_vfa_gate") is gate:
            return node
        # a subgraph guarded before, by a gate of its own: its calls would pass that gate alone, never
        # this one's guards (nor its flow's labels), though the whole app was guarded with them
        raise ConfigError(f"a ToolNode (tools {', '.join(sorted(node.tools_by_name)) or 'none'}) is already gated by "
                          "another gate, so this gate's guards would never judge its calls; guard the agent with one "
                          "gate: guard the app from the unguarded subgraph, or share the gate (`guard_graph(..., gate=gate)`)")
    key = getattr(node, "_messages_key", "messages")
    if key != gate.node.messages_key:
        # the flow and the gate's checks read the conversation under the gate's key: under another, they would
        # read none (a result no gate wrote, the user's words, a call id used twice in a turn all unseen)
        raise ConfigError(f"a ToolNode (tools {', '.join(sorted(node.tools_by_name)) or 'none'}) keeps its messages "
                          f"under {key!r}, but its gate reads {gate.node.messages_key!r}, so the guards would see no "
                          f"conversation; guard it with guard_graph(..., messages_key={key!r}) (or "
                          f"ToolGate(..., messages_key={key!r})); a gate reads one key, so ToolNodes that keep their "
                          "messages under different keys cannot share one: keep them under one key")
    new = copy.copy(node)
    for attr in ("func", "afunc"):  # RunnableCallable keeps bound methods: rebind them to the copy
        fn = getattr(node, attr, None)
        if isinstance(fn, types.MethodType) and fn.__self__ is node:
            setattr(new, attr, types.MethodType(fn.__func__, new))
    in_order(new)  # a turn's calls (and their questions) come in the model's order
    gated = {name: gate.gated(tool) for name, tool in node.tools_by_name.items()}  # a name taken twice: ConfigError
    if _run_path_overrides(type(node)):
        # a subclass with its own way of running calls may run them from `tools_by_name`, past the
        # `wrap_tool_call` the gate sits in: there they are the gated tools too (a plain ToolNode keeps
        # its own, which the coverage check reads for what their functions reach)
        new._tools_by_name = gated
    sync_user, async_user = node._wrap_tool_call, node._awrap_tool_call
    if sync_user is not None or async_user is not None:
        gate.wraps_tools = True
    new._wrap_tool_call = _inside(sync_user, gate)
    if async_user is not None:
        new._awrap_tool_call = _ainside(async_user, gate)
    elif sync_user is None:
        new._awrap_tool_call = gate.awrap_tool_call
    else:
        new._awrap_tool_call = None  # a sync-only user wrapper: the ToolNode runs it with sync execution
    new.__vfa_mediated__ = True
    new._vfa_gate = gate
    return new


_RUNS = frozenset(name for cls in (ToolNode, RunnableCallable) for name in vars(cls) if name != "__init__") | {
    "invoke", "ainvoke", "stream", "astream", "batch", "abatch", "transform", "atransform"}
"""What a ToolNode runs its calls with (its methods and a runnable's entry points)."""


def _run_path_overrides(cls: type) -> list[str]:
    """The names of `_RUNS` a ToolNode subclass (or a class between it and ToolNode) defines itself."""
    own: set[str] = set()
    for base in cls.__mro__:
        if base is ToolNode:
            break
        own.update(name for name in vars(base) if name in _RUNS)
    return sorted(own)


def _inside(user: Any, gate: ToolGate) -> Any:
    if user is None:
        return gate.wrap_tool_call

    def wrapped(request: Any, execute: Any) -> Any:
        # the app's wrapper gets the request with its tools gated: one that runs `request.tool` itself
        # (a timeout or retry of its own) runs it through the guards, never past them
        return user(gate._gated_request(request), lambda req: gate.wrap_tool_call(req, execute))

    return wrapped


def _ainside(user: Any, gate: ToolGate) -> Any:
    async def wrapped(request: Any, execute: Any) -> Any:
        async def inner(req: Any) -> Any:
            return await gate.awrap_tool_call(req, execute)

        return await user(gate._gated_request(request), inner)

    return wrapped


# -- walking the graph ----------------------------------------------------------------------------


def _guard(graph: Any, gate: ToolGate, extractors: dict[str, Any], options: dict[str, Any]) -> Any:
    compiled = graph if not isinstance(graph, StateGraph) else None
    builder = graph if compiled is None else getattr(graph, "builder", None)
    if not isinstance(builder, StateGraph) and isinstance(graph, Pregel):
        # a functional-API workflow: its tasks run tools as plain code, with no ToolNode to gate
        raise ConfigError(
            "guard_graph guards a graph built from a StateGraph; this one has no builder (an @entrypoint workflow, "
            "LangGraph's functional API), so it has no ToolNode to gate: call each tool in its tasks through "
            "graphs.guard_tool(tool, gate=...), and graphs.check_coverage(workflow) names any task that does not")
    if not isinstance(builder, StateGraph):
        raise ConfigError(f"guard_graph needs a StateGraph or a compiled graph, got {type(graph).__name__}")
    unknown = sorted(set(extractors) - set(builder.nodes))
    if unknown:
        raise ConfigError(f"effect_nodes names {unknown} that are not nodes; the nodes are {sorted(builder.nodes)}")
    new = copy.copy(builder)
    new.nodes = {}
    new.compiled = False
    new.branches = collections.defaultdict(dict, {source: {name: _routed_back(spec, gate) for name, spec in specs.items()}
                                                  for source, specs in builder.branches.items()})
    for name, spec in builder.nodes.items():
        if compiled is not None and spec.is_error_handler and name == _DEFAULT_ERROR_HANDLER:
            # the default error handler compile() inserted; compile() inserts it again (a node's own handler,
            # `add_node(..., error_handler=...)`, is a node add_node made: kept, or the node's error is swallowed)
            continue
        runnable = _guard_runnable(spec.runnable, gate)
        metadata = dict(spec.metadata or {})
        if name in extractors and isinstance(runnable, EffectNode):
            runnable = runnable.inner  # guarded before by this gate: named again, it runs with the hooks given now
        # (a builder's `set_node_defaults` policy reaches its nodes' specs only when it is compiled)
        policy = spec.retry_policy or (compiled.retry_policy if compiled is not None else None) or getattr(
            getattr(builder, "_node_defaults", None), "retry_policy", None)
        held = _effect_nodes_in(runnable) if name not in extractors and (_max_attempts(policy) or 1) > 1 else []
        if held:
            # LangGraph retries a subgraph from its start, each of its tasks under a new id: an effect node that
            # committed before the error would be proposed and committed again (keyed by its task id)
            raise ConfigError(f"node {name!r} is a subgraph holding effect nodes ({', '.join(held)}) and has a "
                              "retry_policy: a retry runs the subgraph again from its start under new task ids, so an "
                              "effect that committed before the error would commit again; give the retry_policy to "
                              "the subgraph's own nodes (an effect node's retry is a call of its own, committed once)")
        if name in extractors:
            # LangGraph counts a task's attempts from 1 again in each run, and a guarded attempt that asks a person
            # ends its run: the node is told the most its policy allows, or every resume would try once more
            runnable = EffectNode(name, runnable, gate, **_hooks(name, extractors[name]),
                                  max_attempts=_max_attempts(policy))
        if runnable is not spec.runnable:
            metadata["vfa"] = "guard"  # shown by the drawing; also marks the node for readers
        new.nodes[name] = dataclasses.replace(spec, runnable=runnable, metadata=metadata or spec.metadata)
    if compiled is None:
        return new.compile(**options)
    kwargs = {
        "checkpointer": compiled.checkpointer, "store": compiled.store, "cache": compiled.cache,
        "interrupt_before": _names(compiled.interrupt_before_nodes),
        "interrupt_after": _names(compiled.interrupt_after_nodes),
        "debug": compiled.debug, "name": compiled.name, **options,
    }
    out = new.compile(**kwargs)
    for attr in _KEPT:
        if attr not in options and hasattr(compiled, attr):
            setattr(out, attr, getattr(compiled, attr))
    if type(compiled) is not type(out):
        out.__class__ = type(compiled)  # e.g. vfa.GuardedGraph: same object, the user's subclass
    return out


def _routed_back(spec: Any, gate: ToolGate) -> Any:
    """A branch of the graph, the same unless it is `create_agent`'s route after its tools (recognised by its
    function's name, as the coverage check recognises LangChain's code), which ends the run on a turn of
    `return_direct` calls by their names alone: then a turn whose call this gate held back goes to the model instead,
    to read the denial and repair the call (`ToolGate.held_back_direct`, as `GuardMiddleware.after_agent` does)."""
    path = spec.path
    func = getattr(path, "func", None)
    if not getattr(func, "__qualname__", "").endswith("_make_tools_to_model_edge.<locals>.tools_to_model"):
        return spec
    cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))
    try:
        end, model = cells["end_destination"].cell_contents, cells["model_destination"].cell_contents
    except (KeyError, ValueError):  # another version's route: left as it is
        return spec

    def route(state: Any) -> Any:
        to = func(state)
        return model if to == end and gate.held_back_direct(state) else to

    return spec._replace(path=RunnableCallable(route, name=path.name, trace=False))


_OWNING: dict[tuple[type, str], type] = {}


def _owning(cls: type, key: str) -> type:
    """`cls` (the app's compiled graph class, kept) whose runs copy the id-less messages they are given under
    `key` (`own_messages`): runs without a thread id handed one message object would share one journal key;
    and are traced as `invoke_agent {name}`, the root of their calls' spans, as a vfa `Agent`'s are."""
    cls = getattr(cls, "_vfa_app_class", cls)  # a graph guarded again: the app's class under the new key
    sub = _OWNING.get((cls, key))
    if sub is None:
        def stream(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            args, kwargs = own_messages(args, kwargs, key)
            inner = super(sub, self).stream
            yield from traced_run(self, inner, args, kwargs)

        async def astream(self: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            args, kwargs = own_messages(args, kwargs, key)
            inner = super(sub, self).astream
            async with aclosing(atraced_run(self, inner, args, kwargs)) as run:  # closed with this one, as in GuardedGraph
                async for chunk in run:
                    yield chunk

        stream.__doc__, astream.__doc__ = cls.stream.__doc__, cls.astream.__doc__
        sub = _OWNING[(cls, key)] = type(cls.__name__, (cls,), {
            "stream": stream, "astream": astream, "_vfa_app_class": cls,
            "__module__": cls.__module__, "__qualname__": cls.__qualname__})
    return sub


def _effect_nodes_in(obj: Any) -> list[str]:
    """The names of the effect nodes a guarded subgraph holds, in its own nodes and its subgraphs'."""
    builder = getattr(obj, "builder", None) if isinstance(obj, Pregel) else None
    if not isinstance(builder, StateGraph):
        return []
    return [n for name, spec in builder.nodes.items()
            for n in ([name] if isinstance(spec.runnable, EffectNode) else _effect_nodes_in(spec.runnable))]


def _names(value: Any) -> Any:
    return value if value == "*" else list(value or [])


def _guard_runnable(obj: Any, gate: ToolGate, depth: int = 0) -> Any:
    """The same runnable with every ToolNode in it gated; unchanged (the same object) if none."""
    if depth > 8 or obj is None:
        return obj
    # isinstance, not hasattr: RunnableWithFallbacks forwards unknown attributes to its runnable
    if isinstance(obj, ToolNode):
        return guard_tool_node(obj, gate)
    if isinstance(obj, GuardNode) and obj is not gate.node:
        # a vfa `Agent` (or plan) compiled on its own and used as a subgraph: its tool node is a guard node of
        # its own chain, so its calls would pass that chain alone, never this gate's guards (as for a ToolNode
        # another gate mediates, in `guard_tool_node`)
        raise ConfigError(f"node {obj.name!r} (tools {', '.join(sorted(obj.specs)) or 'none'}) is the guard node of a "
                          "vfa Agent compiled on its own, another gate, so this gate's guards would never judge its "
                          "calls; guard the agent with one gate: give the app's guards to that Agent (and use it "
                          "unwrapped), or build the subgraph as a ToolNode app for guard_graph to gate")
    if isinstance(obj, EffectNode) and obj.gate is not gate:
        # an effect node `guard_graph` made with another gate (a subgraph guarded before, or this graph): its runs
        # would pass that gate alone, never this one's guards (as for a ToolNode another gate mediates)
        raise ConfigError(f"effect node {obj.name!r} is already gated by another gate, so this gate's guards would "
                          "never judge its runs; guard the agent with one gate: guard the app from the unguarded "
                          "graph, or share the gate (`guard_graph(..., gate=gate)`)")
    if isinstance(obj, Pregel) and isinstance(getattr(obj, "builder", None), StateGraph):
        guarded = _guard(obj, gate, {}, {})  # a compiled subgraph used as a node
        if obj.checkpointer is False and any((spec.metadata or {}).get("vfa") == "guard"
                                             for spec in guarded.builder.nodes.values()):
            # it keeps no checkpoint: the parent resuming it (after an interrupt, a crash) runs it from its start, each
            # task under a new id, so an effect node's call (keyed by its task) would commit again and a person's
            # answer would never reach the question it was given for (asked in a task since gone)
            raise ConfigError(f"a subgraph ({obj.get_name()!r}, nodes {', '.join(sorted(obj.builder.nodes))}) compiled "
                              "with checkpointer=False holds gated tools or effect nodes, which need its checkpoints: "
                              "resumed, it would run from its start under new task ids (an effect committed again, an "
                              "answer lost); compile it with checkpointer=None (the parent's, the default) or True")
        return guarded
    update: dict[str, Any] = {}
    if isinstance(obj, RunnableWithFallbacks):
        update["runnable"] = _guard_runnable(obj.runnable, gate, depth + 1)
        update["fallbacks"] = [_guard_runnable(f, gate, depth + 1) for f in obj.fallbacks]
    elif isinstance(obj, RunnableBindingBase):  # RunnableBinding, and RunnableRetry (`.with_retry()`)
        update["bound"] = _guard_runnable(obj.bound, gate, depth + 1)
        if (isinstance(obj, RunnableRetry) and update["bound"] is not obj.bound
                and any(issubclass(GraphBubbleUp, t) for t in obj.retry_exception_types)):
            # an interrupt is an Exception: retried, the node would ask the person again in the same task,
            # and the answers would shift to other questions
            raise ConfigError(
                "a ToolNode behind .with_retry() that retries every Exception would retry LangGraph's interrupts "
                "too (a person asked twice, an answer taken by another call); retry only the errors you mean "
                "(`.with_retry(retry_if_exception_type=(TimeoutError,))`) or give the node a `retry_policy`")
    elif isinstance(obj, RunnableSequence):
        update["first"] = _guard_runnable(obj.first, gate, depth + 1)
        update["middle"] = [_guard_runnable(s, gate, depth + 1) for s in obj.middle]
        update["last"] = _guard_runnable(obj.last, gate, depth + 1)
    if not any(_differs(v, getattr(obj, k)) for k, v in update.items()):
        return obj
    return obj.model_copy(update=update)


def _differs(new: Any, old: Any) -> bool:
    if isinstance(new, list):
        return any(a is not b for a, b in zip(new, old, strict=True))
    return new is not old


# -- a node of the user's own, committed as one effect --------------------------------------------


class ArgumentsNotApplied(VfaError):
    """An effect node's call was committed with arguments its node cannot take (no `with_args`)."""


def _attempt(config: RunnableConfig) -> int:
    """Which run of its task this is (1, then 2, 3, ... as the node's `retry_policy` retries it)."""
    runtime = (config.get("configurable") or {}).get(CONFIG_KEY_RUNTIME)
    info = getattr(runtime, "execution_info", None)
    attempt = getattr(info, "node_attempt", 1)
    return attempt if isinstance(attempt, int) and attempt > 1 else 1


_UNCOMMITTED = frozenset({"failed", "denied", "rejected"})
"""How an attempt of an effect node's task ends uncommitted: a retry goes on past it."""


def _attempt_call(task: str, attempt: int) -> str:
    """The call id of one attempt of a task: the first keeps the task's id, as a run without retries has it."""
    return task if attempt == 1 else f"{task}#attempt{attempt}"


_HOOKS = ("args_of", "with_args", "on_deny")


def _hooks(name: str, given: Any) -> dict[str, Any]:
    """An `effect_nodes` entry as `EffectNode`'s hooks: `args_of`, a pair (args_of, with_args), or a mapping
    of any of `args_of`, `with_args` and `on_deny`."""
    if isinstance(given, Mapping):
        unknown = sorted(map(str, set(given) - set(_HOOKS)))
        if unknown:  # a misspelt on_deny would leave a denial as silent as none given
            raise TypeError(f"effect_nodes[{name!r}] names {unknown}: its keys are {', '.join(_HOOKS)}")
        return dict(given)
    if isinstance(given, tuple) and len(given) != 2:
        raise TypeError(f"effect_nodes[{name!r}] must be args_of, a pair (args_of, with_args) or a mapping of "
                        f"{', '.join(_HOOKS)}, not {len(given)} values")
    args_of, with_args = given if isinstance(given, tuple) else (given, None)
    return {"args_of": args_of, "with_args": with_args}


def _max_attempts(policy: Any) -> int | None:
    """The most attempts a node's `retry_policy` (one, or a sequence) allows its task; None without one."""
    policies = [policy] if isinstance(policy, RetryPolicy) else list(policy or ())
    counts = [p.max_attempts for p in policies if isinstance(getattr(p, "max_attempts", None), int)]
    return max(counts) if counts else None


class EffectNodeFailed(VfaError):
    """An effect node failed in a run the journal recorded: its error, as recorded.

    Raised again from the journal when the task is replayed or resumed."""


def _withheld(update: Any, withhold: Callable[[Any], Any], *, top: bool = True) -> Any:
    """A node's state update with `withhold` applied to its values: in messages (their text, the
    arguments of their tool calls, their `additional_kwargs` and a tool message's artifact), a Command's
    update and the states its `Send`s hand on, records (their keys too, below the update's own: a record
    keyed by the value) and lists, sets, deques and tuples (a NamedTuple, and subclasses of them), and the
    fields of a pydantic model or a dataclass (each kept of its type: the state's own types); other objects
    as they are."""
    def inner(v: Any) -> Any:
        return _withheld(v, withhold, top=False)

    if isinstance(update, BaseMessage):
        changes: dict[str, Any] = {"content": withhold(update.content)}
        if isinstance(update, AIMessage) and update.tool_calls:
            changes["tool_calls"] = [{**c, "args": withhold(c["args"])} for c in update.tool_calls]
        if update.additional_kwargs:  # a provider's own fields (a function call's arguments) are shown to it
            changes["additional_kwargs"] = inner(update.additional_kwargs)
        if isinstance(update, ToolMessage) and update.artifact is not None:
            changes["artifact"] = inner(update.artifact)
        return update.model_copy(update=changes)
    if isinstance(update, Command):
        changes = {}
        given = update.update
        if isinstance(given, dict):
            changes["update"] = _withheld(given, withhold)
        elif isinstance(given, (list, tuple)) and all(
                isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in given):
            # (channel, value) pairs, as LangGraph reads such a list: the channels named, their values withheld
            changes["update"] = type(given)((k, inner(v)) for k, v in given)
        elif given is not None:  # a state object (a pydantic model, a dataclass): its fields
            changes["update"] = _withheld(given, withhold)
        goto = update.goto
        if isinstance(goto, Send) or (isinstance(goto, (list, tuple)) and any(isinstance(g, Send) for g in goto)):
            sent = [Send(g.node, inner(g.arg)) if isinstance(g, Send) else g
                    for g in (goto if isinstance(goto, (list, tuple)) else [goto])]
            changes["goto"] = sent if isinstance(goto, (list, tuple)) else sent[0]
        return dataclasses.replace(update, **changes) if changes else update
    if isinstance(update, Mapping):
        # the update's own keys name the state's channels; a record's keys below them may be values
        return {(k if top or not isinstance(k, str) else withhold(k)): inner(v) for k, v in update.items()}
    if isinstance(update, tuple) and hasattr(update, "_make"):  # a NamedTuple takes its fields one by one
        return update._make(inner(v) for v in update)
    if isinstance(update, (list, tuple, set, frozenset, collections.deque)):
        items = [inner(v) for v in update]
        if isinstance(update, collections.deque):
            return collections.deque(items, maxlen=update.maxlen) if type(update) is collections.deque else items
        try:  # a subclass of its own (a list of the app's) keeps its type where it is built from its items
            return type(update)(items)
        except Exception:  # noqa: BLE001 - one that is not: the plain container of its kind
            return next(t for t in (list, tuple, frozenset, set) if isinstance(update, t))(items)
    if isinstance(update, PydanticBaseModel):  # the state's own model: its fields, unvalidated (as they were)
        # and the extra ones a model that allows them holds (model_copy puts them back among its extras)
        fields = [*type(update).model_fields, *(update.model_extra or {})]
        return update.model_copy(update={k: inner(getattr(update, k)) for k in fields})
    if dataclasses.is_dataclass(update) and not isinstance(update, type):
        # a copy with each field set in place: no __init__ or __post_init__ runs again on what the node made
        changed = copy.copy(update)
        for f in dataclasses.fields(update):
            object.__setattr__(changed, f.name, inner(getattr(update, f.name)))
        return changed
    if isinstance(update, bool):
        # the node's own flag: a private yes/no has no handle of its own, so `withhold` writes every bool
        # as "‹withheld›" (a truthy text where False was, which a route on it would read as True)
        return update
    if isinstance(update, (str, int, float)):
        return withhold(update)
    return update


class EffectNode(RunnableCallable):
    """A user's node that acts on the world, run as one proposal: verified, then committed once.

    The proposal is named after the node; its arguments come from `args_of(input)` (default none),
    and guards see the graph state in their context. Its call id is the LangGraph task id, so a
    replayed or resumed task is answered from the journal instead of acting twice. When the
    proposal is not committed the node writes nothing, or what `on_deny(input, message)` returns.
    A call committed with other arguments than proposed (a person's edit, a guard's repair) runs the
    node on `with_args(input, args)`; without `with_args` it fails unrun. `max_attempts`, the most its
    `retry_policy` allows (`guard_graph` reads it), bounds the attempts of a task across the runs that resume it.
    """

    def __init__(self, name: str, inner: Any, gate: ToolGate, *, args_of: ArgsOf | None = None,
                 on_deny: Callable[[Any, ToolMessage], Any] | None = None, with_args: WithArgs | None = None,
                 max_attempts: int | None = None) -> None:
        for what, hook in (("args_of", args_of), ("with_args", with_args), ("on_deny", on_deny)):
            if hook is not None and not callable(hook):  # else "'int' object is not callable" when the node runs
                raise TypeError(f"effect node {name!r}: {what} must be a function, not {type(hook).__name__} {hook!r:.60}")
            if hook is not None and (inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(
                    getattr(hook, "__call__", None))):  # a function, or an object whose __call__ is async
                # called as a plain function, in invoke and ainvoke alike: its unawaited coroutine would be the
                # arguments, the node's state (inside the commit: the effect journaled as failed) or the update
                raise TypeError(f"effect node {name!r}: {what} must be a plain function, not an async one "
                                f"({getattr(hook, '__qualname__', type(hook).__name__)}): it is called, not awaited")
        super().__init__(self._func, self._afunc, name=name, trace=False)
        self.inner = inner
        self.gate = a_gate(gate, "gate")
        self.args_of = args_of
        self.with_args = with_args
        self.on_deny = on_deny
        self.max_attempts = max_attempts
        self.__vfa_mediated__ = True
        if args_of is None and gate.node.flow is not None:
            # its proposal would hold nothing of the state it acts on: no label, so nothing to deny
            raise ConfigError(f"effect node {name!r} acts on the graph state, which the information flow cannot "
                              "label: a proposal without arguments discloses nothing its guards can judge; give it "
                              f"the arguments it acts on (what it sends, and to whom): guard_graph(effect_nodes="
                              f"{{{name!r}: args_of}}), `args_of(state)` returning them")
        gate.register_node(name)

    def _call(self, input: Any, config: RunnableConfig, thread_id: str) -> dict[str, Any]:
        meta = config.get("metadata") or {}
        task = str(meta.get("langgraph_checkpoint_ns") or "").rsplit("|", 1)[-1] or f"{self.name}:{meta.get('langgraph_step')}"
        try:
            args = self.args_of(input) if self.args_of else {}
        except Exception as exc:  # the app's own error, kept as raised, told where it came from
            exc.add_note(f"raised by args_of of effect node {self.name!r}: nothing was proposed or run")
            raise
        if isinstance(args, PydanticBaseModel):  # a model of the arguments: its fields, as `dict(model)` reads them
            args = dict(args)
        if not isinstance(args, Mapping) or not all(isinstance(k, str) for k in args):
            # else `dict(...)` reads a list of names as the pairs they spell (["to"] as {"t": "o"}), or fails
            # with an error naming neither the node nor its hook (its type alone: the value may be private)
            raise TypeError(f"effect node {self.name!r}: args_of must return a mapping of argument names (text) to "
                            f"values, not {type(args).__name__}" + (" with keys that are not text" if isinstance(args, Mapping) else ""))
        return {"name": self.name, "args": dict(args), "id": self._attempt_id(task, _attempt(config), thread_id)}

    def _attempt_id(self, task: str, attempt: int, thread_id: str) -> str:
        """The call id of this attempt of the task: a retry its `retry_policy` asks for is a new call (verified
        and committed once, "<task>#attempt<n>"). An attempt that ended uncommitted (failed, denied, rejected)
        is passed over by a retry (`attempt` > 1), and by a replayed task when the journal holds a later one
        (it goes on from there); one that committed answers every run of the task after it (never twice)."""
        journal = self.gate.node.journal
        at = 1
        while True:
            call_id = _attempt_call(task, at)
            here = journal.last(thread_id, call_id)
            if here is None or here.kind not in _UNCOMMITTED:
                return call_id  # not yet tried, waiting on a person, or committed
            if (attempt == 1 or (self.max_attempts is not None and at >= self.max_attempts)) and \
                    journal.last(thread_id, _attempt_call(task, at + 1)) is None:
                # the task replayed (no retry), or retried past the attempts its policy allows (LangGraph counts
                # them from 1 again in each run that resumes it): it ends as its last attempt ended
                return call_id
            # LangGraph counts a retry's interrupts from the task's first again: the answers given to a passed
            # attempt's questions are taken where they stand, or this attempt's questions would get them
            Questions(journal, own_entries(journal.entries(thread_id, call_id=call_id)), current_task(),
                      max_arg_bytes=self.gate.node.max_arg_bytes).replay((thread_id, call_id, self.name), finished=True)
            at += 1

    def _input(self, input: Any, proposed: dict[str, Any], args: dict[str, Any]) -> Any:
        """The node's input for the arguments the commit runs with: its own, unless they were changed."""
        if args == proposed:
            return input
        if self.with_args is None:
            raise ArgumentsNotApplied(
                f"effect node {self.name!r} was committed with other arguments than it proposed (a person's edit, "
                "a guard's repair, or the values behind the handles they hold), and it acts on its input, which "
                "holds the first ones; it was not run (give "
                f"guard_graph(effect_nodes={{{self.name!r}: (args_of, with_args)}}) to run it on the new ones)")
        return self.with_args(input, dict(args))

    def _func(self, input: Any, config: RunnableConfig) -> Any:
        call, thread_id, work = self._work(input, config)
        return self._result(input, self.gate.settle(call, input, thread_id, work), work, thread_id)

    async def _afunc(self, input: Any, config: RunnableConfig) -> Any:
        call, thread_id, work = self._work(input, config)
        return self._result(input, await self.gate.asettle(call, input, thread_id, work), work, thread_id)

    def _work(self, input: Any, config: RunnableConfig) -> tuple[dict[str, Any], str, _Work]:
        """This run's call, its thread and what its commit runs: the node on its input (or on the arguments a
        person's edit or a guard's repair gave it), on the caller's event loop when run async."""
        thread_id = _thread_id(config, input, self.gate.node.messages_key)
        call = self._call(input, config, thread_id)
        work = _Work(lambda args: self.inner.invoke(self._input(input, call["args"], args), config),
                     lambda args: self.inner.ainvoke(self._input(input, call["args"], args), config))
        work.update = True
        return call, thread_id, work

    def _result(self, input: Any, out: Any, work: _Work, thread_id: str) -> Any:
        if not isinstance(out, ToolMessage) or not isinstance(out.artifact, dict) or "vfa" not in out.artifact:
            # the node ran: its own update, each value a handle of the thread stands for written as its handle
            # (run on the values behind the handles, it may report them: the state is what the model reads)
            withhold = getattr(self.gate.node.flow, "withhold", None)
            return _withheld(out, lambda value: withhold(value, thread_id)) if withhold is not None else out
        outcome = out.artifact["vfa"]["outcome"]
        if outcome in ("committed", "ran"):
            # answered again from the journal, its update one the checkpoint serialiser could not keep:
            # the effect happened, nothing is written
            return None
        if outcome == "failed":  # the node's error fails the run as it would unguarded (a retry policy sees it)
            if work.error is not None:
                raise work.error
            raise EffectNodeFailed(str(out.content))
        return self.on_deny(input, out) if self.on_deny is not None else None

