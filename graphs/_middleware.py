"""`GuardMiddleware`: vfa's guard chain and journal as a `create_agent` middleware.

Where it goes in the list: **last** among the middlewares that wrap tool calls. `create_agent` makes
the first middleware the outermost, so the last one sees the call as it will run: after a
reviewer's edit (`HumanInTheLoopMiddleware`), after any rewrite, and inside any retry (a retried
call is answered from the journal instead of running the effect twice).

Listed earlier it still verifies every call, because it does not verify where it sits: it hands the
call on with its tool (and the runtime's tool list) replaced by gated tools, and a request on which a
later middleware puts another tool (`request.override(tool=...)`, LangChain's way to run a tool
registered at run time) gates that tool too; so verification and the commit happen where the
`ToolNode` finally invokes the tool, on the arguments that really run. What changes with position is
which middlewares see the denial message instead of a tool result. Only a middleware that builds a
new `ToolCallRequest` of its own, instead of deriving it from the one it was given, hands on a tool
the gate never saw: keep such a middleware before this one.

An agent guarded by `GuardMiddleware` and by `guard_graph` as well runs no call (`ConfigError`), unless
both share one `ToolGate` (`guard_graph(agent, gate=middleware.gate)`): two gates would each take the
other's gated tool for its own, and one chain would decide alone.

Escalations use LangGraph's `interrupt()` with options approve / edit / reject, and a resume may
use `HumanInTheLoopMiddleware`'s shape (`{"decisions": [{"type": "approve"}]}`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from langchain.agents.middleware import AgentMiddleware, hook_config
from langchain.agents.structured_output import AutoStrategy, ToolStrategy
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.types import Command

from vfa import EffectJournal, Flow

from ._gate import ToolGate, shared_gate

__all__ = ["GuardMiddleware"]


class GuardMiddleware(AgentMiddleware):
    """Verify every tool call of a `create_agent` agent with a guard chain, then commit it once.

    A denied call gets its own error `ToolMessage` (naming the guard, reason and evidence); the
    model sees it and the other calls of the same turn run as usual.

    Args:
        guards: the guard chain, in order; tools' own guards run after them.
        journal: an `EffectJournal` or a path; None keeps an in-memory journal.
        world: the world state given to guards (an object, or a callable of the agent state).
        flow: information-flow hooks (`vfa.Flow`).
        read_only: names of tools that change nothing (verified, not write-ahead journaled).
        timeout_s: each guard's default time budget; overrunning it is a deny.
        gate: an existing `ToolGate` to share (its journal and guards) instead of the above; any of them
            but `timeout_s` given beside it is a `ConfigError` (it would be dropped without a word).
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
        gate: ToolGate | None = None,
    ) -> None:
        super().__init__()
        self.__vfa_mediated__ = True  # the coverage check: a ToolNode whose wrapper reaches it is gated
        self.gate = ToolGate(guards, journal=journal, world=world, flow=flow, read_only=read_only,
                             timeout_s=timeout_s) if gate is None else shared_gate(
            gate, guards=guards or None, journal=journal, world=world, flow=flow, read_only=read_only or None)
        self.tools = []

    @property
    def name(self) -> str:
        """The middleware's name in traces."""
        return "vfa"

    @property
    def journal(self) -> EffectJournal:
        """The journal every commit of this agent is recorded in."""
        return self.gate.journal

    def __repr__(self) -> str:
        return f"GuardMiddleware(gate={self.gate!r})"

    def wrap_tool_call(self, request: Any, handler: Callable[[Any], ToolMessage | Command]) -> ToolMessage | Command:
        """Hand the call on with gated tools; the gate verifies and commits where the tool runs."""
        return self.gate.wrap_tool_call(request, handler)

    async def awrap_tool_call(
        self, request: Any, handler: Callable[[Any], Awaitable[ToolMessage | Command]],
    ) -> ToolMessage | Command:
        """Async twin of `wrap_tool_call`."""
        return await self.gate.awrap_tool_call(request, handler)

    @hook_config(can_jump_to=["model"])
    def after_agent(self, state: Any, runtime: Any) -> dict[str, Any] | None:
        """Back to the model where the run would end on a turn whose calls all name tools declared
        `return_direct=True` and one of them was denied or rejected: such a call has no result to return,
        and the model reads why and may repair it, as after any denial (`create_agent` ends the run on the
        calls' names alone). vfa's `Agent` routes them alike (`vfa._compile._after_tools`)."""
        return {"jump_to": "model"} if self.gate.held_back_direct(state) else None

    def wrap_model_call(self, request: Any, handler: Callable[[Any], Any]) -> Any:
        """Hand the flow what the model is about to read and, once it answered, its answer (`ToolGate.read`:
        a result no guard node wrote, or a tool the provider ran, counts though the state drops it before
        the next tool call), and mark the agent's replies to the model's structured answer as no tool
        result (see `_marked`)."""
        self.gate.read(request)
        response = _marked(handler(request), request)
        self.gate.read(request, response)
        return response

    async def awrap_model_call(self, request: Any, handler: Callable[[Any], Awaitable[Any]]) -> Any:
        """Async twin of `wrap_model_call`."""
        await self.gate.aread(request)
        response = _marked(await handler(request), request)
        await self.gate.aread(request, response)
        return response


_STRUCTURED = "structured"
"""The outcome in the artifact of a reply to the model's structured answer: no tool ran."""


def _marked(response: Any, request: Any) -> Any:
    """The model call's response with each tool message that answers a call of the same response to one
    of the structured-answer tools of its `response_format` (`ToolStrategy`, or `AutoStrategy` as the
    agent runs it with tools) marked as no result (`{"vfa": {"outcome": "structured"}}`): those are the
    agent's replies to the model's structured answer (the answer echoed, the app's text, or why it did
    not parse), written where the model ran, never by a tool. Without the mark the privacy flow would
    take them for results it never labelled, and label every later argument private and untrusted. A
    name that is also one of the agent's tools is never taken for a structured answer."""
    result = getattr(response, "result", None)
    if not (dataclasses.is_dataclass(response) and isinstance(result, list)
            and any(isinstance(m, ToolMessage) for m in result)):
        return response
    answers = _structured_names(getattr(request, "response_format", None))
    if not answers:
        return response
    runtime = getattr(request, "runtime", None)
    tools = {getattr(t, "name", None) for source in (getattr(request, "tools", None), getattr(runtime, "tools", None))
             for t in source or ()}
    calls: dict[Any, set[Any]] = {}  # call id -> the names of the response's calls with that id
    for m in result:
        for c in m.tool_calls if isinstance(m, AIMessage) else ():
            calls.setdefault(c.get("id"), set()).add(c.get("name"))
    # an id that names a tool's call too may answer either (a reply of an app's cache): a result
    answered = {i for i, names in calls.items() if names <= answers - tools}
    marked = [m.model_copy(update={"artifact": {"vfa": {"outcome": _STRUCTURED}}})
              if isinstance(m, ToolMessage) and m.artifact is None and m.tool_call_id in answered else m for m in result]
    return dataclasses.replace(response, result=marked)


def _structured_names(response_format: Any) -> frozenset[str]:
    """The tool names a `response_format` has the model give its structured answer with (none for a
    provider's native structured output, which writes no tool message)."""
    if isinstance(response_format, AutoStrategy):
        response_format = ToolStrategy(response_format.schema)
    if not isinstance(response_format, ToolStrategy):
        return frozenset()
    return frozenset(spec.name for spec in response_format.schema_specs)

