"""The agent compiler: an agent becomes a LangGraph graph whose tool-executing node is the guard node."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import warnings

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import aclosing
from typing import Any, Self

from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ensure_config, merge_configs
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel

from . import _tracing
from ._chain import _guard_name
from ._coverage import check_coverage
from ._effects import off_loop, on_loop
from ._exceptions import ConfigError, PolicyError
from ._guard_node import Flow, GuardNode, conversation_id
from ._journal import EffectJournal

__all__ = ["Agent", "GuardedGraph"]


class Agent:
    """A model that proposes tool calls, tools, and the guards every call must pass.

    `compile()` returns a LangGraph `CompiledStateGraph`: node "agent" calls the model and node
    "tools" is a `GuardNode`, the only place tools run.

    Args:
        model: any LangChain chat model that supports `bind_tools` (a real LLM, or
            `vfa.testing.ScriptedModel` for deterministic runs).
        tools: effects (`@effect`), read-only functions, or LangChain tools.
        guards: agent-level guards, run in order on every proposal.
        name: the agent's name in traces (`invoke_agent {name}`).
        instructions: a system message put before the conversation on every model call.
        world: the application's world state for guards: an object, or a (sync) callable returning it.
        journal: an `EffectJournal` or a path; None keeps an in-memory journal.
        flow: information-flow hooks (`vfa.Flow`), e.g. the privacy guard's labels and handles.
        guard_timeout_s: each guard's default time budget.
        max_arg_bytes: the largest JSON size a proposal's arguments may have.
    """

    def __init__(
        self,
        model: Any,
        tools: Sequence[Any] = (),
        guards: Sequence[Any] = (),
        *,
        name: str = "agent",
        instructions: str | None = None,
        world: Any = None,
        journal: EffectJournal | str | None = None,
        flow: Flow | None = None,
        guard_timeout_s: float = 1.0,
        max_arg_bytes: int = 64 * 1024,
    ) -> None:
        if not isinstance(name, str) or not name.strip():  # it names the compiled graph and every run's span
            raise TypeError(f"name must be non-empty text, not {type(name).__name__} {name!r:.60}")
        if instructions is not None and not isinstance(instructions, str):
            raise TypeError(f"instructions must be text (a system message), not {type(instructions).__name__}")
        if not callable(getattr(model, "invoke", None)) or not callable(getattr(model, "bind_tools", None)):
            # a model's name, or None, would fail only at compile(), far from here
            raise TypeError(f"model must be a LangChain chat model with tool calling (bind_tools), not "
                            f"{type(model).__name__} {model!r:.60}")
        self.model = model
        self.name = name
        self.instructions = instructions
        self.guard_node = GuardNode(tools, guards, journal=journal, world=world, flow=flow,
                                    timeout_s=guard_timeout_s, max_arg_bytes=max_arg_bytes)

    @property
    def journal(self) -> EffectJournal:
        """The effect journal this agent's guard node records into."""
        return self.guard_node.journal

    def close(self) -> None:
        """Close the journal the agent opened (given as a path, or None: in memory); a journal given open
        is its caller's to close. Graphs compiled from the agent cannot run calls afterwards."""
        self.guard_node.close()

    def delete_thread(self, thread_id: str, *, checkpointer: Any = None) -> int:
        """Erase a conversation that is over: its checkpoints (in `checkpointer`; by default in each one
        `compile` was given or a run was saved in, a parent graph's for a subgraph) first, then its journal entries and what the flow holds of it; returns how many
        journal entries were deleted. In that order, so a crash between the two leaves no thread that
        could resume without the record of what it committed (run it again to finish). While a call of the
        thread runs, `CallInFlightError`, and neither is deleted; a checkpointer that cannot delete a thread
        (or an async one whose loop is not running), `ConfigError`, nothing deleted."""
        savers = self._savers(checkpointer, sync=True)

        def first() -> None:
            self.guard_node.savers.erase(thread_id, savers, lambda saver: saver.delete_thread(thread_id))

        return self.guard_node.delete_thread(thread_id, first=first)

    async def adelete_thread(self, thread_id: str, *, checkpointer: Any = None) -> int:
        """`delete_thread` for an async checkpointer (`AsyncSqliteSaver`, `AsyncPostgresSaver`)."""
        loop = asyncio.get_running_loop()
        savers = self._savers(checkpointer, sync=False)

        def delete(saver: Any) -> None:  # awaited on this loop, from the worker that holds the thread's lock
            try:
                # `on_loop`: a loop closed under it ends the wait (nothing of the journal erased), never holds the lock
                on_loop(saver.adelete_thread(thread_id), loop)
            except NotImplementedError:  # a sync saver (`SqliteSaver`) has no async methods: its own, here
                saver.delete_thread(thread_id)

        def first() -> None:
            self.guard_node.savers.erase(thread_id, savers, delete)

        # on vfa's own threads, not the loop's default executor: this thread waits for the checkpointer, whose
        # async methods may need a default-executor thread (`asyncio.to_thread`), so a few at once would hang
        # `first` even with no saver held: the files of SQLite savers let go are erased there too
        return await off_loop(functools.partial(self.guard_node.delete_thread, thread_id, first=first))

    def _savers(self, checkpointer: Any, *, sync: bool) -> list[Any]:
        """The checkpointers a thread is erased from: the one given, else each one its graphs were compiled or run
        with (`Savers.held`); each able to delete a thread (`sync`: with `delete_thread`), else `ConfigError`, before
        anything is deleted."""
        savers = [checkpointer] if checkpointer is not None else self.guard_node.savers.held()
        unable = sorted({type(saver).__name__ for saver in savers if not _deletes(saver, sync)})
        if unable:
            # a saver keeping `BaseCheckpointSaver`'s method, which raises a bare NotImplementedError: its
            # checkpoints cannot be erased from here, and the journal erased alone would leave a thread that resumes
            raise ConfigError(f"the checkpointer {', '.join(unable)} cannot delete a thread (its "
                              f"{'delete_thread is' if sync else 'adelete_thread and delete_thread are'} not "
                              "implemented), so the thread's checkpoints in it cannot be erased from here; nothing was "
                              "deleted: erase them in its store, then the journal's entries "
                              "(agent.journal.delete_thread(thread_id))")
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        for saver in savers if sync else ():
            loop = getattr(saver, "loop", None)  # an async saver's sync methods wait for its loop to run them
            if isinstance(loop, asyncio.AbstractEventLoop) and (not loop.is_running() or loop is here):
                # they would wait for good (an open loop no one runs, or this very one) holding the thread, or fail
                # on a closed one
                state = "closed" if loop.is_closed() else "this thread's own" if loop is here else "not running"
                raise ConfigError(f"the thread's checkpoints are in a {type(saver).__name__}, whose event loop is "
                                  f"{state}: nothing was deleted; await "
                                  "agent.adelete_thread(thread_id) on that loop, or pass delete_thread(thread_id, "
                                  "checkpointer=saver), a sync saver on the same store")
        return savers

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        # names and settings only: the world, the flow's threads and the journal's records stay out of logs
        node = self.guard_node
        flow = "" if node.flow is None else f", flow={node.flow!r}"
        return (f"Agent({self.name!r}, tools={list(node.specs)!r}, guards={[_guard_name(g) for g in node.chain.guards]!r}"
                f"{flow}, journal={node.journal!r})")

    def lint(self) -> None:
        """Run every guard's compile-time policy check (`guard.lint(tools)`), and the flow's
        (`flow.lint(guards, tools)`); raises `PolicyError`."""
        specs = self.guard_node.specs
        lint_guards(self.guard_node.chain.guards, specs)
        for g in self.guard_node.chain.guards:
            lint_scope(g, specs)
        flow_lint = getattr(self.guard_node.flow, "lint", None)
        if flow_lint is not None:  # a flow checks that its guard judges every tool (`Flow`)
            flow_lint(self.guard_node.chain.guards, specs)

    def _check_world(self) -> None:
        """A `PolicyError` for a guard that reads the world (`reads_world`, a precondition over `state.*`) of an
        agent given none: each of its calls would be denied at run time, reading a field of None."""
        if self.guard_node.has_world:
            return
        specs = self.guard_node.specs
        for g in (*self.guard_node.chain.guards, *(g for s in specs.values() for g in s.guards)):
            if getattr(g, "reads_world", False) is True:
                raise PolicyError(f"guard {_guard_name(g)!r} reads the world (state.*), but the agent was given "
                                  "none: pass world=... (an object, or a callable returning it) to Agent")

    def builder(self) -> StateGraph:
        """The uncompiled graph, for adding nodes of your own before compiling it yourself: its `compile` is this
        agent's (policies linted, coverage checked over your nodes too, the checkpointer kept for `delete_thread`,
        runs traced as `invoke_agent`), so the graph holds what one from `compile()` holds.

        Raises:
            PolicyError: as `compile`; the policies are linted here, before any node is added.
        """
        self.lint()
        self._check_world()
        specs = list(self.guard_node.specs.values())
        bound = self.model.bind_tools([s.json_schema() for s in specs]) if specs else self.model
        system = [SystemMessage(self.instructions)] if self.instructions else []

        # each run notes its saver here too: a run whose model proposes no call never reaches the guard node, and
        # its conversation is checkpointed all the same (a subgraph's, in its parent's saver). The savers, not the
        # node: LangChain caches a node function's nonlocals (`get_function_nonlocals`), which would keep the agent
        savers = self.guard_node.savers

        def agent(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
            savers.note_run(config)
            return {"messages": [bound.invoke(system + list(state["messages"]), config)]}

        async def aagent(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
            savers.note_run(config)
            return {"messages": [await bound.ainvoke(system + list(state["messages"]), config)]}

        from langchain_core.runnables import RunnableLambda

        builder = _AgentBuilder(MessagesState)
        builder._vfa_agent = self
        builder.add_node("agent", RunnableLambda(agent, afunc=aagent, name="agent"))
        builder.add_node("tools", self.guard_node)
        builder.add_edge(START, "agent")
        builder.add_conditional_edges("agent", _route, {"tools": "tools", END: END})
        direct = frozenset(name for name, spec in self.guard_node.specs.items()
                           if getattr(spec.source, "return_direct", False) is True)
        if direct:  # as LangGraph's create_agent: a turn of return-direct calls alone ends the run with their results
            after = functools.partial(_after_tools, direct)
            builder.add_conditional_edges("tools", after, {"agent": "agent", END: END})
        else:
            builder.add_edge("tools", "agent")
        return builder

    def compile(self, checkpointer: Any = None, *, store: Any = None, interrupt_before: Any = None,
                interrupt_after: Any = None, debug: bool = False) -> GuardedGraph:
        """Lint the policies, build the graph, check its coverage and compile it.

        Raises:
            PolicyError: a guard's policy can never hold, checks nothing, or names unknown things.
            CoverageError: a node could execute an effect without the guard node.
            ConfigError: `checkpointer=False`.
        """
        return self.builder().compile(checkpointer, store=store, interrupt_before=interrupt_before,
                                      interrupt_after=interrupt_after, debug=debug)

    def _compiled(self, builder: StateGraph, checkpointer: Any, name: str | None, options: dict[str, Any]) -> GuardedGraph:
        """`compile` of this agent's builder, with nodes of the app's own or none: the checks `compile` promises,
        the checkpointer kept for `delete_thread` (else the thread's checkpoints outlive its erasure); the policies
        were linted by `builder`."""
        if checkpointer is False:
            # kept no checkpoint, the agent run as a subgraph is resumed from its start under new task ids: a call
            # (keyed by its task) would commit again, and a person's answer would miss the question it answers
            raise ConfigError("Agent.compile(checkpointer=False): a guarded agent needs checkpoints to resume (an "
                              "effect would commit again, an approval would be taken for a rejection); as a subgraph, "
                              "compile it with checkpointer=None (the parent's, the default)")
        check_coverage(builder)
        graph = StateGraph.compile(builder, checkpointer=checkpointer, name=name or self.name, **options)
        self.guard_node.savers.note(checkpointer)
        graph.__class__ = GuardedGraph  # same object, plus the invoke_agent span around each run
        return graph


class _AgentBuilder(StateGraph):
    """An agent's uncompiled graph (`Agent.builder`), compiled as `Agent.compile` compiles it: a user compiling it
    as LangGraph has them do would skip the policies' lint (a guard judging no call), the coverage check of
    the nodes they added, and the checkpointer `delete_thread` must erase."""

    _vfa_agent: Agent

    def compile(self, checkpointer: Any = None, *, name: str | None = None, **options: Any) -> GuardedGraph:  # type: ignore[override]
        """`StateGraph.compile`, with `Agent.compile`'s checks (raises `PolicyError`, `CoverageError`)."""
        return self._vfa_agent._compiled(self, checkpointer, name, options)


def lint_guards(guards: Sequence[Any], specs: Mapping[str, Any]) -> None:
    """Every guard's compile-time check (`guard.lint(tools)`, or `guard.lint_with(guards, tools)` where it has one,
    the agent's guards and each tool's own, once each), then each kind's check of its agent-level guards together (`type(guard).lint_together(guards,
    tools)`, where a kind has one): two guards each sound alone may leave a tool no call that passes both."""
    seen: set[int] = set()
    for g in (*guards, *(g for s in specs.values() for g in s.guards)):
        if id(g) in seen:
            continue
        seen.add(id(g))
        lint_with = getattr(g, "lint_with", None)  # a check that assumes the agent's other guards (an invariant:
        if lint_with is not None:  # a tool's agent-level preconditions, which the chain runs on its every call)
            lint_with(guards, specs)
            continue
        lint = getattr(g, "lint", None)
        if lint is not None:
            lint(specs)
    kinds: dict[type, list[Any]] = {}
    for g in guards:
        kinds.setdefault(type(g), []).append(g)
    for kind, group in kinds.items():
        together = getattr(kind, "lint_together", None)
        if together is not None and len(group) > 1:
            together(group, specs)


def lint_scope(g: Any, specs: Mapping[str, Any], *, warn: bool = False) -> None:
    """A `PolicyError` for a guard of the chain whose `tools` name a tool the agent does not have, or none: it
    would judge no call of it, silently (a typo, a default such as `CollisionGuard`'s "move", an empty list).
    With `warn`, a tool it lacks is a warning instead (an app whose tool node may run tools it was not built with)."""
    tools = getattr(g, "tools", None)
    if tools is None:
        return
    name = getattr(g, "name", None) or type(g).__name__
    if isinstance(tools, str):
        raise PolicyError(f"guard {name!r}: tools must be a list of tool names, got the string {tools!r}")
    if not tools:  # as silent as a name the agent lacks (a filter that matched nothing)
        raise PolicyError(f"guard {name!r} applies to no tool (its tools are empty): it would judge no call; "
                          "name the tools it judges, or leave tools unset (None) to judge every call")
    missing = sorted(str(t) for t in tools if t not in specs)
    if missing:
        message = (f"guard {name!r} applies to {', '.join(map(repr, missing))}, which the agent has no tool "
                   f"of (its tools: {', '.join(sorted(specs)) or 'none'}): it would judge no call of them")
        if not warn:
            raise PolicyError(message)
        warnings.warn(f"{message}, unless a tool node's own wrap_tool_call runs such a tool", UserWarning, stacklevel=3)


def _deletes(saver: Any, sync: bool) -> bool:
    """Whether a checkpointer can delete a thread (`sync`: with `delete_thread`; else either way): one keeping
    `BaseCheckpointSaver`'s method, which raises NotImplementedError, cannot."""
    kind = type(saver)
    method = getattr(kind, "delete_thread", None)
    if callable(method) and method is not BaseCheckpointSaver.delete_thread:
        return True
    method = getattr(kind, "adelete_thread", None)  # no checkpointer at all (an object passed as one): neither
    return not sync and callable(method) and method is not BaseCheckpointSaver.adelete_thread


def _route(state: MessagesState) -> str:
    messages = state["messages"]
    last = messages[-1] if messages else None
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else END


def _after_tools(direct: frozenset[str], state: MessagesState) -> str:
    """Back to the model after a turn's calls, or the end where every call of the turn named a tool declared
    `return_direct=True` (its result is the answer), as `create_agent` routes them. A call its guards or a
    person did not let run has no result to return: the model reads why and may repair it, as after any
    denial."""
    messages = state["messages"]
    at = next((i for i in range(len(messages) - 1, -1, -1) if isinstance(messages[i], AIMessage)), None)
    calls = messages[at].tool_calls if at is not None else []
    if not calls or not all(c["name"] in direct for c in calls):
        return "agent"
    return "agent" if any(held_back(m) for m in messages[at + 1:]) else END


def held_back(message: Any) -> bool:
    """Whether a tool message answers a call the guard node did not run (denied, or rejected by a person)."""
    info = message.artifact.get("vfa") if isinstance(message, ToolMessage) and isinstance(message.artifact, dict) else None
    return isinstance(info, dict) and info.get("outcome") in ("denied", "rejected")


class GuardedGraph(CompiledStateGraph):
    """A compiled vfa graph: a `CompiledStateGraph` whose runs are traced as `invoke_agent {name}`."""

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """`CompiledStateGraph.stream`, inside an `invoke_agent` span when tracing is on."""
        args, kwargs = own_messages(args, kwargs)
        yield from traced_run(self, super().stream, args, kwargs)

    async def astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        """`CompiledStateGraph.astream`, inside an `invoke_agent` span when tracing is on."""
        args, kwargs = own_messages(args, kwargs)
        # closed with this generator: an `async for` leaves the generator it iterates open when its own is closed
        # (a sync `yield from` closes it), the run's span and LangGraph's run left to a garbage collection
        async with aclosing(atraced_run(self, super().astream, args, kwargs)) as run:
            async for chunk in run:
                yield chunk


def traced_run(graph: Any, stream: Callable[..., Iterator[Any]], args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> Iterator[Any]:
    """`stream(*args, **kwargs)` (a graph's run) inside an `invoke_agent {graph.name}` span when tracing is on."""
    started = _started(graph, args, kwargs)
    if started is None:
        yield from stream(*args, **kwargs)
        return
    span, ctx = started
    inner = stream(*args, **kwargs)
    error: BaseException | None = None
    try:
        while True:
            with _tracing.attached(ctx):  # current only while the graph runs, not in the consumer
                try:
                    chunk = next(inner)
                except StopIteration:
                    return
            yield chunk
    except BaseException as exc:
        error = exc
        raise
    finally:
        try:
            inner.close()
        finally:  # a run that fails to close (its checkpointer failing at exit) still ends its span
            _tracing.end_span(span, error)


async def atraced_run(graph: Any, astream: Callable[..., AsyncIterator[Any]], args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> AsyncIterator[Any]:
    """`traced_run` for `astream`."""
    started = _started(graph, args, kwargs)
    if started is None:
        async with aclosing(astream(*args, **kwargs)) as run:  # closed with this one (`GuardedGraph.astream`)
            async for chunk in run:
                yield chunk
        return
    span, ctx = started
    inner = astream(*args, **kwargs)
    error: BaseException | None = None
    try:
        while True:
            with _tracing.attached(ctx):
                try:
                    chunk = await inner.__anext__()
                except StopAsyncIteration:
                    return
            yield chunk
    except BaseException as exc:
        error = exc
        raise
    finally:
        try:
            await inner.aclose()
        finally:  # a run that fails to close (its checkpointer failing at exit) still ends its span
            _tracing.end_span(span, error)


def own_messages(args: tuple[Any, ...], kwargs: dict[str, Any],
                 key: str = "messages") -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A run's `stream` arguments with each input message (under `key`) that has no id copied. LangGraph's
    reducer gives such a message its id by writing it into the caller's object, so runs handed one object (a
    batch of one prompt, a prompt sent twice) would carry one id, and a run without a thread id is keyed by
    those ids (`thread_key`): each run's calls would be answered from another's record, never run."""
    given = kwargs["input"] if "input" in kwargs else args[0] if args else None
    # a state schema may be a pydantic model or a dataclass, whose instance LangGraph takes as the input too
    typed = isinstance(given, BaseModel) or (dataclasses.is_dataclass(given) and not isinstance(given, type))
    messages = given.get(key) if isinstance(given, Mapping) else getattr(given, key, None) if typed else None
    listed = messages if isinstance(messages, list) else [messages] if isinstance(messages, BaseMessage) else []
    if not any(isinstance(m, BaseMessage) and m.id is None for m in listed):
        return args, kwargs
    copied = [m.model_copy() if isinstance(m, BaseMessage) and m.id is None else m for m in listed]
    value = copied if isinstance(messages, list) else copied[0]
    own = ({**given, key: value} if isinstance(given, Mapping) else given.model_copy(update={key: value})
           if isinstance(given, BaseModel) else dataclasses.replace(given, **{key: value}))
    return ((own, *args[1:]), kwargs) if "input" not in kwargs else (args, {**kwargs, "input": own})


def _started(graph: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any] | None:
    """The run's `invoke_agent` span and its context, or None when tracing is off (its attributes not even read)."""
    if not _tracing.tracing_enabled():
        return None
    return _tracing.start_detached(f"invoke_agent {graph.name}", _agent_attributes(graph, args, kwargs))


def _agent_attributes(graph: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    given = kwargs.get("config") or (args[1] if len(args) > 1 else None)
    # the run's config as LangGraph merges it: the one bound by `with_config` and one inherited from a parent's run
    # (a graph invoked in a node) carry the thread too, which the run's calls are traced with
    config = ensure_config(merge_configs(getattr(graph, "config", None), given))
    thread = (config.get("configurable") or {}).get("thread_id")
    return {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": graph.name,
            "gen_ai.conversation.id": conversation_id(thread) if thread is not None else None}
