"""The tool gate: vfa's guard chain and journal installed at the point where a LangChain tool runs.

A `ToolNode` (or `create_agent`'s tool node) runs each tool call as `tool.invoke(call, config)`,
after its `wrap_tool_call` middleware and after injecting state, store and runtime. The gate puts
a `GatedTool` in the request's place, so verification happens at that last step, on the arguments
that really run: whatever a middleware rewrote before (a reviewer's edit, a retry) is verified too,
and the tool still receives exactly what the `ToolNode` injected. The decision itself is the
kernel's `GuardNode.handle`: validate, verify, escalate, commit once through the journal.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from langchain_core.messages import ToolMessage
from langgraph.errors import GraphBubbleUp
from pydantic import BaseModel, ConfigDict, create_model

from vfa import Effect, EffectJournal, GuardNode, ToolSpec, UnmediatedEffectError
from vfa import Flow

__all__ = ["GatedTool", "ToolGate"]

_WORK: contextvars.ContextVar[_Work | None] = contextvars.ContextVar("vfa_gate_work", default=None)
_OPEN: Any = object()  # marks "the tool has not run"


class _Bubble(BaseException):
    """Carries a LangGraph interrupt raised inside a tool past the journal's `except Exception`.

    The journal records any Exception from an effect as a failure; an interrupt is a pause, not a
    failure, so it travels as a BaseException until the gate re-raises the original.
    """

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


class _ToolError(Exception):
    """The tool answered with an error message: recorded as a failed commit, reported as the tool said."""


class _Work:
    """What a commit runs for one call, and the output it produced (the tool's own message)."""

    def __init__(self, run: Callable[[dict[str, Any]], Any],
                 arun: Callable[[dict[str, Any]], Awaitable[Any]] | None = None) -> None:
        self.run = run
        self.arun = arun
        self.loop: asyncio.AbstractEventLoop | None = None
        self.output: Any = _OPEN

    def __call__(self, args: dict[str, Any]) -> Any:
        try:
            if self.loop is not None and self.arun is not None:
                # async callers: the gate decides in a worker thread; the tool runs on the caller's loop
                out = asyncio.run_coroutine_threadsafe(self.arun(args), self.loop).result()
            else:
                out = self.run(args)
        except GraphBubbleUp as exc:
            raise _Bubble(exc) from None
        self.output = out
        return _record(out)


def _record(out: Any) -> Any:
    """The value the journal keeps for a tool's output (its text, not the message object)."""
    if isinstance(out, ToolMessage):
        if out.status == "error":
            raise _ToolError(out.content if isinstance(out.content, str) else repr(out.content))
        return out.content
    if isinstance(out, BaseModel) or dataclasses.is_dataclass(out):
        return repr(out)[:2000]  # a Command or a model: what happened, for the record
    return out


def _dispatch(**args: Any) -> Any:
    """The `fn` of every gated spec: runs the work the gate set up for the call being committed."""
    work = _WORK.get()
    if work is None:
        raise UnmediatedEffectError("a gated tool ran outside its gate; call it through the ToolNode or GuardedTool")
    return work(args)


class ToolGate:
    """Verify and commit LangChain tool calls where they run: one guard chain and one journal.

    Shared by every tool node it is installed in (`guard_graph`, `GuardMiddleware`, `guard_tool`).

    Args:
        guards: the guard chain, in order; tools' own guards (`vfa.annotate`) run after them.
        journal: an `EffectJournal` or a path; None keeps an in-memory journal.
        world: the world state given to guards (an object, or a callable of the graph state).
        flow: information-flow hooks (`vfa.Flow`).
        read_only: names of tools that change nothing: verified, but run without a write-ahead
            record. Every other tool is committed as an effect, exactly once per call id.
        timeout_s: each guard's default time budget; overrunning it is a deny.
    """

    def __init__(
        self,
        guards: Sequence[Any] = (),
        *,
        journal: EffectJournal | str | None = None,
        world: Any = None,
        flow: Flow | None = None,
        read_only: Sequence[str] = (),
        timeout_s: float = 1.0,
        max_arg_bytes: int = 64 * 1024,
    ) -> None:
        self.node = GuardNode([], guards, journal=journal, world=world, flow=flow, timeout_s=timeout_s,
                              max_arg_bytes=max_arg_bytes, name="vfa_gate")
        self.read_only = frozenset(read_only)
        self._lock = threading.Lock()
        self._tools: dict[str, Any] = {}

    @property
    def journal(self) -> EffectJournal:
        """The effect journal every commit through this gate is recorded in."""
        return self.node.journal

    # -- registration ----------------------------------------------------------------------------

    def register(self, tool: Any) -> ToolSpec:
        """Describe a LangChain tool to the guards (by its model-visible schema); idempotent."""
        with self._lock:
            if self._tools.get(tool.name) is tool:
                return self.node.specs[tool.name]
            spec = _spec_of(tool, self.read_only)
            self.node.specs[spec.name] = spec
            self._tools[spec.name] = tool
            return spec

    def register_node(self, name: str) -> ToolSpec:
        """Describe a graph node committed as one effect; its proposal's args are free-form."""
        with self._lock:
            spec = self.node.specs.get(name)
            if not isinstance(spec, _NodeSpec):
                spec = _NodeSpec(name=name, description=f"graph node {name!r}", args_model=_FreeArgs,
                                 fn=_dispatch, is_effect=True)
                self.node.specs[name] = spec
            return spec

    # -- the tool-call wrapper (ToolNode's and AgentMiddleware's extension point) ------------------

    def wrap_tool_call(self, request: Any, execute: Callable[[Any], Any]) -> Any:
        """`wrap_tool_call` hook: hand the request on with its tools replaced by gated ones."""
        return execute(self._gated_request(request))

    async def awrap_tool_call(self, request: Any, execute: Callable[[Any], Awaitable[Any]]) -> Any:
        """`awrap_tool_call` hook: the async twin of `wrap_tool_call`."""
        return await execute(self._gated_request(request))

    def _gated_request(self, request: Any) -> Any:
        tool = request.tool
        if tool is None or isinstance(tool, GatedTool):
            return request  # unknown tool: the ToolNode answers with its own error, nothing runs
        request = request.override(tool=GatedTool(tool, self, state=request.state))
        runtime = request.runtime
        tools = getattr(runtime, "tools", None)
        if dataclasses.is_dataclass(runtime) and tools:
            # a middleware that redirects a call to another tool (a reviewer's edit) picks it from
            # runtime.tools: those must be gated too, or the redirected call would run unverified
            gated = [t if isinstance(t, GatedTool) else GatedTool(t, self, state=request.state) for t in tools]
            request = dataclasses.replace(request, runtime=dataclasses.replace(runtime, tools=gated))
        return request

    # -- deciding one call -----------------------------------------------------------------------

    def settle(self, call: Mapping[str, Any], state: Any, thread_id: str, work: _Work) -> Any:
        """Verify one call and commit it through the journal; returns the tool's output or the denial."""
        token = _WORK.set(work)
        try:
            message = self.node.handle(call, state, thread_id)
        except _Bubble as bubble:
            self._paused(call, thread_id)
            raise bubble.error from None
        finally:
            _WORK.reset(token)
        outcome = message.artifact["vfa"]["outcome"]
        if work.output is not _OPEN and outcome in ("committed", "ran", "failed"):
            return work.output  # the tool's own message, exactly as the unguarded node would give it
        return message

    async def asettle(self, call: Mapping[str, Any], state: Any, thread_id: str, work: _Work) -> Any:
        """Async twin of `settle`: the guards run in a worker thread, the tool on this event loop."""
        work.loop = asyncio.get_running_loop()
        return await asyncio.to_thread(self.settle, call, state, thread_id, work)

    def _paused(self, call: Mapping[str, Any], thread_id: str) -> None:
        # The tool itself called interrupt(). Its write-ahead record says "started", which on resume
        # would read as a crash mid-effect; record the pause so resume verifies and runs it again.
        call_id = str(call.get("id") or "")
        last = self.journal.last(thread_id, call_id)
        if last is not None and last.kind in ("started", "restarted"):
            self.journal.append([(thread_id, call_id, last.tool, "escalated", {"by": "tool", "reason": "interrupt"})])


class GatedTool:
    """A LangChain tool seen through a gate: `invoke` verifies the call, then commits it once.

    Everything else (name, schemas, description) is the wrapped tool's. Invoked with a tool call it
    answers with a `ToolMessage`, as a tool does; invoked with plain arguments it returns the tool's
    result when committed, and the denial's `ToolMessage` (status "error") when not.
    """

    def __init__(self, tool: Any, gate: ToolGate, *, state: Any = None) -> None:
        self.tool = tool
        self.gate = gate
        self.state = state if state is not None else {}
        self.spec = gate.register(tool)
        self.__vfa_mediated__ = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tool, name)

    def __repr__(self) -> str:
        return f"GatedTool({self.tool.name!r})"

    def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        """Verify, then run the tool as `tool.invoke` would, inside the journal's commit."""
        call, rebuild = self._split(input)
        work = _Work(lambda args: self.tool.invoke(rebuild(args), config, **kwargs))
        return self.gate.settle(call, self.state, _thread_id(config), work)

    async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        """Async twin of `invoke`."""
        call, rebuild = self._split(input)
        work = _Work(lambda args: self.tool.invoke(rebuild(args), config, **kwargs),
                     lambda args: self.tool.ainvoke(rebuild(args), config, **kwargs))
        return await self.gate.asettle(call, self.state, _thread_id(config), work)

    def _split(self, input: Any) -> tuple[dict[str, Any], Callable[[dict[str, Any]], Any]]:
        """The proposal the model made, and how to rebuild the tool's input from verified args."""
        is_call = isinstance(input, Mapping) and input.get("type") == "tool_call"
        raw = dict(input.get("args") or {}) if is_call else dict(input) if isinstance(input, Mapping) else input
        if not isinstance(raw, dict):
            raw = {"input": raw}
        hidden_keys = _injected_keys(self.tool)
        # injected values (state, store, runtime, call id) are the ToolNode's, not the model's:
        # guards judge the model's arguments; the tool gets the injected ones back untouched
        hidden = {k: v for k, v in raw.items() if k in hidden_keys}
        visible = {k: v for k, v in raw.items() if k not in hidden_keys}
        call_id = str(input.get("id") or "") if is_call else f"vfa-{uuid.uuid4().hex}"
        call = {"name": self.tool.name, "args": visible, "id": call_id}

        def rebuild(args: dict[str, Any]) -> Any:
            merged = {**hidden, **args}
            return {**input, "args": merged} if is_call else merged

        return call, rebuild


class _NodeSpec(ToolSpec):
    """A graph node as an effect: its proposal's arguments are whatever the node's extractor gave."""

    __slots__ = ()

    def validate(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            from vfa import ArgumentError

            raise ArgumentError(f"arguments of node {self.name!r} must be an object, got {type(raw).__name__}")
        return dict(raw)


_FreeArgs = create_model("node_args", __config__=ConfigDict(extra="allow"))


def _spec_of(tool: Any, read_only: frozenset[str]) -> ToolSpec:
    inner = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
    eff = inner if isinstance(inner, Effect) else None
    schema = getattr(tool, "tool_call_schema", None)
    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        schema = create_model(f"{tool.name}_args", __config__=ConfigDict(extra="allow"))
    guards = eff.guards if eff is not None else tuple(getattr(inner, "__vfa_guards__", ()))
    meta = eff.meta if eff is not None else dict(getattr(inner, "__vfa_meta__", {}))
    return ToolSpec(
        name=tool.name, description=getattr(tool, "description", None) or tool.name, args_model=schema,
        fn=_dispatch, is_effect=eff is not None or tool.name not in read_only,
        idempotent=bool(getattr(eff, "idempotent", False)), guards=tuple(guards), meta=meta, source=tool)


def _injected_keys(tool: Any) -> frozenset[str]:
    """Arguments the ToolNode injects (state, store, runtime, call id): in args_schema, hidden from the model."""
    full, visible = getattr(tool, "args_schema", None), getattr(tool, "tool_call_schema", None)
    if not (isinstance(full, type) and issubclass(full, BaseModel)):
        return frozenset()
    shown = set(visible.model_fields) if isinstance(visible, type) and issubclass(visible, BaseModel) else set()
    return frozenset(set(full.model_fields) - shown)


def _thread_id(config: Any) -> str:
    if not config:
        try:
            from langgraph.config import get_config

            config = get_config()
        except RuntimeError:  # outside a graph run: no thread
            return ""
    thread = (config.get("configurable") or {}).get("thread_id")
    return "" if thread is None else str(thread)
