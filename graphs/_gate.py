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
import base64
import contextvars
import dataclasses
import hashlib
import json
import threading
import types
import typing
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Self

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.tools.base import ToolOutputMixin
from langgraph._internal._constants import CONFIG_KEY_CHECKPOINTER as _CHECKPOINTER
from langgraph._internal._constants import CONFIG_KEY_READ as _READ
try:
    from langgraph._internal._constants import CONFIG_KEY_READ_STATE as _READ_STATE
except ImportError:  # a LangGraph before it never sets the key (as ToolNode reads it)
    _READ_STATE = "__pregel_read_state"
from langgraph._internal._constants import CONFIG_KEY_TASK_ID as _TASK_ID
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.errors import GraphBubbleUp, ParentCommand
from langgraph.prebuilt.tool_node import INVALID_TOOL_NAME_ERROR_TEMPLATE, ToolCallRequest
from langgraph.types import Command
from pydantic import BaseModel, ConfigDict, create_model, model_validator
from pydantic_core import to_jsonable_python

from vfa import (
    AnswerError,
    ConfigError,
    Effect,
    EffectJournal,
    Flow,
    GuardNode,
    JournalError,
    ThreadBusy,
    ToolSpec,
    UnmediatedEffectError,
)
from vfa._chain import _guard_name
from vfa._compile import held_back, lint_guards
from vfa._effects import off_loop, on_loop
from vfa._guard_node import _repr_unaddressed, content_digest, thread_key, without_graph_streams
from vfa._run_tally import RunTally
from vfa._journal import KEPT, own_entries
from vfa._injected import error_content_text, injected_args, injected_names
from vfa._lc_tools import GIVEN_BY_DEFAULT, args_model_of, errors_raised, in_handler_words
from vfa._tools import INJECTED, RESULT_SHAPE, _nonfinite, name_list

__all__ = ["GatedTool", "ToolGate"]

_WORK: contextvars.ContextVar[_Work | None] = contextvars.ContextVar("vfa_gate_work", default=None)


class _Handed:
    """The tool call `wrap_tool_call` is handing on: its graph state (what the guards see), the id of the
    ToolNode's task, and the call's id (the ToolNode injected its hidden arguments). Closed when the call
    ends: a task or thread its tool started and left running (`asyncio.create_task`,
    `contextvars.copy_context().run` copy the context) holds it on, and LangGraph's config of the ended
    task with it; what that task calls later is made outside the call and its run (`_configurable`)."""

    __slots__ = ("state", "task", "call_id", "open")

    def __init__(self, state: Any, task: Any, call_id: str) -> None:
        self.state, self.task, self.call_id = state, task, call_id
        self.open = True


_STATE: contextvars.ContextVar[_Handed | None] = contextvars.ContextVar("vfa_gate_state", default=None)
_OPEN: Any = object()  # marks "the tool has not run"


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
        self.structured = False
        """Record what the model will read as a flow labels it (set when the gate has a flow)."""
        self.records = True
        """A message's JSON text may be the tool's records: kept as the value it encodes and labelled
        field by field (False for a tool that returns text: labelled whole, see `result_shape`)."""
        self.plain = False
        """Invoked with plain arguments by the app's own code, not with a tool call: with a flow, what
        it gets back is the flow's view of the result (the caller may hand it to the model)."""
        self.error: Exception | None = None
        """What the run raised (the journal keeps its text): an effect node raises it again."""
        self.update = False
        """What it returned is an effect node's state update: kept whole, as a Command is, so a node
        answered again from the journal (a crash before its update was saved) writes it again."""
        self.written: Any = None
        """The call's arguments as the model wrote them (handles, not values): what a Command may write
        back into the state beside its tool message (`_said`)."""
        self.key = "messages"
        """The state key of the conversation (the gate's `messages_key`): where a Command writes its tool message."""
        self.keep: Callable[..., None] | None = None
        """Journals the rest of such a Command's update (the model's own values), for a replay to write it
        again: the flow's record of the call holds its tool message only; `keep(update, _NODE_UPDATE)` an
        effect node's whole update, which the flow's record holds as the record it labels."""

    def __call__(self, args: dict[str, Any]) -> Any:
        try:
            if self.loop is not None and self.arun is not None:
                # async callers: the gate decides in a worker thread; the tool runs on the caller's loop
                out = on_loop(self.arun(args), self.loop)
            else:
                out = self.run(args)
        except ParentCommand as exc:
            # a graph the tool ran handing off to the graph running the tool, once the tool's work was done: its
            # output, recorded whole as a Command it returned is (so a replay lands it again, never runs it twice)
            out = exc.args[0]
        except Exception as exc:
            self.error = exc
            raise
        self.output = out
        if self.structured and self.keep is not None and isinstance(out, Command) and _said(out, self.written, self.key):
            kept = {k: v for k, v in out.update.items() if k != self.key}
            if kept:
                self.keep(kept)
        if self.update and not self.structured and out is not None and not isinstance(out, Command):
            kept = _whole(out)
            if kept is not None:
                return kept
        if self.update and self.structured and self.keep is not None and out is not None:
            # with a flow the journal's result is the record it labels: the update is kept beside it, whole, so
            # a node answered again from the journal (a crash before LangGraph saved its writes) writes it again
            kept = _whole(out)
            if kept is not None:
                self.keep(kept, _NODE_UPDATE)
        return _record(out, self.structured, self.records, self.written, self.key)


def _record(out: Any, structured: bool = False, records: bool = True, written: Any = None,
            key: str = "messages") -> Any:
    """The value the journal keeps for a tool's output (its text, not the message object); with
    `structured` and `records`, a text that is a JSON object or array is kept as the value it encodes,
    so a flow sees the record's fields (a ToolNode has already turned the tool's dict into text). A
    tool that returns text is labelled whole, as vfa's Agent labels it: text that merely looks like
    JSON (an attachment, a page) would otherwise pass its author's field names off as the tool's."""
    if isinstance(out, ToolMessage):
        if out.status == "error":
            raise _ToolError(error_content_text(out.content))
        content = out.content
        # content blocks are text the tool put in blocks, whatever it is annotated to return: labelled
        # as blocks, never read as records (a block's JSON text has field names its author chose)
        if structured and records and isinstance(content, str) and content.lstrip()[:1] in ("{", "["):
            try:
                return json.loads(content)
            except ValueError:
                pass
        return content
    if structured and isinstance(out, Command) and (said := _said(out, written, key)) is not None:
        return _record(said, structured, records)  # all the model will read of the Command: its tool message
    if structured and isinstance(out, (Command, list, tuple)):
        # anything else a tool writes into the state (other messages, in any form, under any key) is
        # labelled as one text, and the model is shown that text instead (see `ToolGate.settle`)
        return json.dumps(out, default=_content_of, ensure_ascii=False)
    if isinstance(out, Command):
        # kept whole, so a node replayed after an interrupt returns it again: its state update and its
        # goto land as they did when the tool ran (`_replayed_command`)
        kind, data = _SERDE.dumps_typed(out)
        return {_COMMAND: base64.b64encode(data).decode(), "serde": kind, "repr": repr(out)[:2000]}
    if isinstance(out, dict) and _COMMAND in out:
        return repr(out)[:2000]  # no tool output may pass for a recorded Command
    if structured and records and (isinstance(out, (BaseModel, dict)) or dataclasses.is_dataclass(out)):
        # invoked with plain arguments: the record itself, as JSON writes it (a model's fields, a date's
        # ISO text), for the flow to label field by field
        try:
            return to_jsonable_python(out)
        except Exception:  # noqa: BLE001 - no JSON of it: its text, labelled whole (`Source.records`)
            return repr(out)[:2000]
    if isinstance(out, BaseModel) or dataclasses.is_dataclass(out):
        return repr(out)[:2000]  # a model: what happened, for the record
    return out


def _whole(out: Any) -> dict[str, Any] | None:
    """`out` kept whole as LangGraph's checkpoint serialiser writes it (`_replayed_command` reads it
    back); None when that serialiser cannot write it (it is then recorded as any output is)."""
    try:
        kind, data = _SERDE.dumps_typed(out)
    except Exception:  # noqa: BLE001 - not kept whole: a replay writes no update, as before
        return None
    return {_COMMAND: base64.b64encode(data).decode(), "serde": kind, "repr": repr(out)[:2000]}


_COMMAND = "vfa_command"
"""The key under which a tool's `Command` is recorded (as LangGraph's checkpoint serialiser writes it)."""
_SERDE = JsonPlusSerializer()


def _unknown_marked(out: Any, request: Any) -> Any:
    """The ToolNode's reply to a call of a tool it does not have, marked as a call no tool ran and no guard
    judged: word for word its template for the call's name, listing only the request's tools (a text with
    anything else in it, another node's, stays a result the flow never labelled)."""
    call = request.tool_call or {}
    if request.tool is not None or not isinstance(out, ToolMessage) or out.artifact is not None \
            or out.tool_call_id != call.get("id") or not isinstance(out.content, str):
        return out
    names = [str(getattr(t, "name", "")) for t in getattr(request.runtime, "tools", None) or ()]
    if out.content != INVALID_TOOL_NAME_ERROR_TEMPLATE.format(requested_tool=call.get("name"),
                                                               available_tools=", ".join(names)):
        return out
    return out.model_copy(update={"artifact": {"vfa": {"outcome": "denied", "by": "node"}}})


def _measured(out: Any) -> Any:
    """A middleware's result with the size of each gate message's content ("chars", or "blocks" for a
    list) and its digest recorded in its artifact: a middleware outside this one may write before it (a
    reviewer's edit notice), and an audit of the messages reads the gate's part, as the flow labelled it."""
    messages = [out] if isinstance(out, ToolMessage) else (
        out.update.get("messages") if isinstance(out, Command) and isinstance(out.update, dict) else None)
    for m in messages if isinstance(messages, list) else ():
        info = m.artifact.get("vfa") if isinstance(m, ToolMessage) and isinstance(m.artifact, dict) else None
        if isinstance(info, dict):
            info["chars" if isinstance(m.content, str) else "blocks"] = len(m.content)
            info["digest"] = content_digest(m.content)
    return out


def _keep(journal: Any, thread_id: str, call_id: str, tool: str, kept: dict[str, Any], field: str = "update") -> None:
    """Journal the rest of a Command's update (the model's own values, as JSON) for `_kept`, under `field`; one
    that JSON cannot hold as it is is not kept: a replay then writes the flow's text alone."""
    try:
        same = json.loads(json.dumps(kept, allow_nan=False)) == kept
    except (TypeError, ValueError, RecursionError):
        same = False
    if same:
        journal.append([(thread_id, f"{call_id}#{KEPT}", tool, KEPT, {field: kept})])


def _kept(journal: Any, thread_id: str, call_id: str, field: str = "update") -> dict[str, Any] | None:
    """The rest of the update of a call's Command, as `_keep` journaled it when the tool ran, or None (with
    `field` `_NODE_UPDATE`, an effect node's whole update, as `_whole` wrote it)."""
    # the last of its kind: a model may give a call of its own the same key
    last = next((e for e in reversed(journal.entries(thread_id, call_id=f"{call_id}#{KEPT}"))
                 if e.kind == KEPT and field in e.data), None)
    update = last.data.get(field) if last is not None else None
    return update if isinstance(update, dict) else None


_NODE_UPDATE = "node_update"
"""The field of a `KEPT` entry that holds an effect node's whole update under a flow (`_Work.update`)."""


def _replayed_command(journal: Any, thread_id: str, call_id: str, *, update: bool = False) -> Any:
    """The `Command` a call's tool returned (an effect's or a read-only tool's), as the gate recorded it;
    with `update`, an effect node's state update too (`_Work.update`); None if it returned neither."""
    own = own_entries(journal.entries(thread_id, call_id=call_id))
    result = own[-1].data.get("result") if own and own[-1].kind in ("committed", "ran") else None
    if not (isinstance(result, dict) and isinstance(result.get(_COMMAND), str) and isinstance(result.get("serde"), str)):
        return None
    kept = _SERDE.loads_typed((result["serde"], base64.b64decode(result[_COMMAND])))
    return kept if isinstance(kept, Command) or update else None


def _recorded(journal: Any, thread_id: str, call_id: str) -> Any:
    """The result a call's commit recorded (as `_record` kept it), or None."""
    own = own_entries(journal.entries(thread_id, call_id=call_id))
    return own[-1].data.get("result") if own and own[-1].kind in ("committed", "ran") else None


def _said(command: Command, written: Any = None, key: str = "messages") -> ToolMessage | None:
    """The tool message a Command writes, if that is all it does: one tool message under `key` (the state's messages),
    nothing else in the state but values the model wrote (`written`: each other key's value is one
    of the call's arguments as the model wrote them, as `write_todos` keeps its list), no `goto` (a
    `Send` could carry anything to another node), no `graph` and no `resume`. Only such a Command can
    be shown to the model as the flow labelled it: what else it writes tells the model nothing new,
    wherever an app shows it (a value a handle stood for is no argument as written: refused)."""
    update = command.update
    if not isinstance(update, dict) or key not in update or command.graph is not None \
            or command.goto or command.resume is not None:
        return None
    args = list(written.values()) if isinstance(written, Mapping) else []
    if not all(any(_same(v, a) for a in args) for k, v in update.items() if k != key):
        return None
    messages = update[key]
    if not (isinstance(messages, list) and len(messages) == 1 and isinstance(messages[0], ToolMessage)):
        return None
    return messages[0]


def _same(value: Any, arg: Any) -> bool:
    """Whether a value a Command writes is an argument the model wrote (of its type, equal to it); a
    comparison that raises (numpy's arrays in a list) is no (fail closed: the update is dropped)."""
    try:
        return type(value) is type(arg) and bool(value == arg)
    except Exception:  # noqa: BLE001 - any value's own __eq__ may raise
        return False


def _content_of(value: Any) -> Any:
    """What a tool's output shows of a message or a Command, for labelling it as text."""
    if isinstance(value, BaseMessage):
        return {"type": value.type, "content": value.content}
    if isinstance(value, Command):
        return {"update": value.update, "goto": repr(value.goto)}
    return repr(value)


def _shown(out: Any, text: str, artifact: Any, written: Any = None, key: str = "messages") -> Any:
    """`out` (a tool message, or a Command writing only one) showing the model `text`, the flow's view of it,
    with `artifact` (the gate's record of the call) for its own: the flow never labelled what a tool put
    in its artifact (a `content_and_artifact` tool's raw record), and the graph's messages are read by
    the model, middleware and summaries alike, so it is not kept; nor are the message's `additional_kwargs`
    and `response_metadata`, which the tool fills as it likes (a client's raw response)."""
    if isinstance(out, Command):
        said = _said(out, written, key)
        return dataclasses.replace(out, update={**out.update, key: [_shown(said, text, artifact)]}) if said else out
    kept = {"artifact": artifact, "additional_kwargs": {}, "response_metadata": {}}
    if isinstance(out.content, str):
        return out.model_copy(update={"content": text, **kept}) \
            if out.content != text or any(getattr(out, k) != v for k, v in kept.items()) else out
    try:  # content blocks: the flow walked them as a list, so its text is the same list, handled
        blocks = json.loads(text)
    except ValueError:
        blocks = None
    if isinstance(blocks, list) and all(isinstance(b, dict) and "type" in b for b in blocks):
        return out.model_copy(update={"content": blocks, **kept})
    return out.model_copy(update={"content": [{"type": "text", "text": text}], **kept})




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
        messages_key: the state key of the conversation (a `ToolNode`'s `messages_key`), which the
            flow and the gate's checks read.
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
        messages_key: str = "messages",
    ) -> None:
        self.node = GuardNode([], guards, journal=journal, world=world, flow=flow, timeout_s=timeout_s,
                              max_arg_bytes=max_arg_bytes, messages_key=messages_key, name="vfa_gate")
        self.read_only = frozenset(name_list(read_only, "read_only"))
        self._lock = threading.RLock()
        self._tools: dict[str, Any] = {}  # name -> the one tool object registered under it
        self._gated: dict[int, GatedTool] = {}  # id(tool) -> its wrapper (which keeps the tool alive)
        self.wraps_tools = False
        """Whether a tool node this gate guards has a `wrap_tool_call` of its own (it may run other tools)."""

    @property
    def journal(self) -> EffectJournal:
        """The effect journal every commit through this gate is recorded in."""
        return self.node.journal

    def delete_thread(self, thread_id: str) -> int:
        """Delete a thread's journal entries and what the flow holds of it, once its checkpoints are
        deleted (`checkpointer.delete_thread`); returns how many entries were deleted."""
        return self.node.delete_thread(thread_id)

    def close(self) -> None:
        """Close the journal the gate opened (given as a path, or None: in memory); one given open is its
        caller's to close (as `guard_graph(journal=EffectJournal(...))` leaves it yours)."""
        self.node.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        with self._lock:
            tools = list(self.node.specs)
        guards = [_guard_name(g) for g in self.node.chain.guards]
        return (f"ToolGate(guards={guards!r}, tools={tools!r}, read_only={sorted(self.read_only)!r}, "
                f"journal={self.journal!r})")

    # -- registration ----------------------------------------------------------------------------

    def register(self, tool: Any) -> ToolSpec:
        """Describe a LangChain tool to the guards (by its model-visible schema); idempotent.

        Raises:
            ConfigError: a different tool (or an effect node) is already registered under its name:
                guards and the journal know a tool by its name, so one name is one tool per gate.
        """
        with self._lock:
            known = self._tools.get(tool.name)
            if known is tool or (known is not None and _rebuilt(known, tool, self.node.specs[tool.name], self.read_only)):
                return self.node.specs[tool.name]
            if known is not None or tool.name in self.node.specs:
                what = "an effect node" if known is None else f"another tool ({_about(known)})"
                raise ConfigError(
                    f"tool {tool.name!r} ({_about(tool)}) has the name of {what} in this gate: guards and "
                    f"the journal tell tools apart by name, so rename one or give each its own ToolGate")
            spec = _spec_of(tool, self.read_only)
            self.node.specs[spec.name] = spec
            try:
                self._lint(spec)
            except BaseException:
                del self.node.specs[spec.name]  # a tool its guards refuse is never registered, never run
                raise
            self._tools[spec.name] = tool
            return spec

    def _lint(self, spec: ToolSpec) -> None:
        """Every guard's policy check (`guard.lint`) of a tool, as `Agent.compile` runs it: a declaration
        naming an argument the model does not write (one the ToolNode injects) fails here, not silently. Only
        the guards that judge it, as the chain picks them: a guard of a tool not registered yet would find
        the gate has no such tool."""
        lint_guards([g for g in self.node.chain.guards
                     if getattr(g, "tools", None) is None or spec.name in g.tools], {spec.name: spec})
        flow_lint = getattr(self.node.flow, "lint", None)
        if flow_lint is not None:
            flow_lint(self.node.chain.guards, {spec.name: spec})

    def registered(self, name: str) -> Any:
        """The tool registered under `name` (the one a call of that name ran, or was refused for), or None."""
        with self._lock:
            return self._tools.get(name)

    def held_back_direct(self, state: Any) -> bool:
        """Whether the run ends on a model turn whose calls all name `return_direct` tools (as `create_agent` reads
        them: by the name its tool message gives, else the call's; a name no tool is registered under left out) and
        this gate denied, or a person rejected, one of them: `create_agent` would end the run with the denial as its
        answer, where the model must read it and may repair the call (`GuardMiddleware.after_agent`, and the route
        `guard_graph` gives a `create_agent` app)."""
        messages = state.get("messages") if isinstance(state, Mapping) else getattr(state, "messages", None)
        if not isinstance(messages, list) or not messages or not isinstance(messages[-1], ToolMessage):
            return False
        at = next((i for i in range(len(messages) - 1, -1, -1) if isinstance(messages[i], AIMessage)), None)
        if at is None or not messages[at].tool_calls:
            return False
        answers = [m for m in messages[at + 1:] if isinstance(m, ToolMessage)]
        named = {m.tool_call_id: m.name for m in answers if m.name and self.registered(m.name) is not None}
        # as `create_agent`: a call of a name it has no tool for (a provider's, one made up) is left out of the turn
        tools = {call_id: t for c in messages[at].tool_calls
                 if (t := self.registered(named.get(call_id := c.get("id") or "", c.get("name")))) is not None}
        if not tools or not all(getattr(t, "return_direct", False) is True for t in tools.values()):
            return False
        return any(held_back(m) for m in answers if m.tool_call_id in tools)

    def register_node(self, name: str) -> ToolSpec:
        """Describe a graph node committed as one effect; its proposal's args are free-form.

        Raises:
            ConfigError: a tool is already registered under that name.
        """
        with self._lock:
            spec = self.node.specs.get(name)
            if spec is None:
                spec = _NodeSpec(name=name, description=f"graph node {name!r}", args_model=_FreeArgs,
                                 fn=_dispatch, is_effect=True)
                self.node.specs[name] = spec
            elif not isinstance(spec, _NodeSpec):
                raise ConfigError(f"effect node {name!r} has the name of a tool in this gate: rename one of them")
            return spec

    def gated(self, tool: Any) -> GatedTool:
        """The gate's one `GatedTool` for a tool (registering the tool the first time)."""
        gated = self._gated.get(id(tool))
        if gated is None:
            with self._lock:
                gated = self._gated.get(id(tool))
                if gated is None:
                    gated = GatedTool(tool, self)
                    if self._tools.get(tool.name) is tool:
                        # kept while the gate lives; a rebuild of a registered tool (one built per
                        # request) is wrapped for its call alone, so the gate does not keep every build
                        self._gated[id(tool)] = gated
        return gated

    # -- the tool-call wrapper (ToolNode's and AgentMiddleware's extension point) ------------------

    def wrap_tool_call(self, request: Any, execute: Callable[[Any], Any]) -> Any:
        """`wrap_tool_call` hook: hand the request on with its tools replaced by gated ones."""
        gated = self._refusing(self._gated_request, request)
        handed = _Handed(request.state, _task_of(getattr(request.runtime, "config", None)),
                         str((request.tool_call or {}).get("id") or ""))
        token = _STATE.set(handed)
        try:
            return _measured(_unknown_marked(execute(gated), request))
        finally:
            handed.open = False
            _STATE.reset(token)

    async def awrap_tool_call(self, request: Any, execute: Callable[[Any], Awaitable[Any]]) -> Any:
        """`awrap_tool_call` hook: the async twin of `wrap_tool_call`."""
        gated = self._refusing(self._gated_request, request)
        handed = _Handed(request.state, _task_of(getattr(request.runtime, "config", None)),
                         str((request.tool_call or {}).get("id") or ""))
        token = _STATE.set(handed)
        try:
            return _measured(_unknown_marked(await execute(gated), request))
        finally:
            handed.open = False
            _STATE.reset(token)

    @staticmethod
    def _refusing(step: Callable[..., Any], *args: Any) -> Any:
        """`step(*args)`, a set-up refusal it raises (`ConfigError`: a tool another gate gates, a tool its
        guards' policy checks refuse) raised as a run-stopping error: LangChain's retry and error middlewares
        (`ModelRetryMiddleware`, `ToolRetryMiddleware`) would retry it and hand it on as a model answer or a
        tool failure, every turn, instead of failing the run with the developer's mistake."""
        try:
            return step(*args)
        except ConfigError as exc:
            raise _stopping(exc) from exc.__cause__

    def _gated_request(self, request: Any) -> Any:
        """The request handed on: its tool gated (None, an unknown tool, stays None: the ToolNode answers
        with its own error), and any tool a later middleware puts in its place gated too (`_GatedRequest`)."""
        if isinstance(request, _GatedRequest) and request.gate is self:
            return request
        fields = {f.name: getattr(request, f.name) for f in dataclasses.fields(request) if f.init}
        runtime = fields.get("runtime")
        tools = getattr(runtime, "tools", None)
        if dataclasses.is_dataclass(runtime) and tools:
            # a middleware that redirects a call to another tool (a reviewer's edit) picks it from
            # runtime.tools: those must be gated too, or the redirected call would run unverified
            fields["runtime"] = dataclasses.replace(runtime, tools=[self.own(t) for t in tools])
        return _GatedRequest(**fields, gate=self)

    def own(self, tool: Any) -> GatedTool:
        """`tool` as this gate runs it: its `GatedTool`.

        Raises:
            ConfigError: the tool is already gated by another gate (a `GuardMiddleware` in an agent
                that `guard_graph` guards as well): one of the two would decide for both, so nothing runs.
        """
        if isinstance(tool, GatedTool):
            if tool.gate is self:
                return tool
            raise ConfigError(
                f"tool {tool.name!r} is already gated by another vfa gate (a GuardMiddleware in an agent that "
                "guard_graph guards too?); calls would be verified by one of them only, so none is run: give "
                "all the guards to one of them (`guard_graph(agent, guards)` or `GuardMiddleware(guards)`)")
        return self.gated(tool)

    # -- deciding one call -----------------------------------------------------------------------

    def read(self, request: Any, response: Any = None) -> None:
        """Hand the flow what a model call (LangChain's `ModelRequest`) reads (`GuardNode.read`), and with
        its `response`, what it answered too (a tool the provider ran inside the call shows its result
        there, which a summariser may fold away before the next call). The call's tools are registered
        first: a thread the flow rebuilds from the journal labels their results by their declarations (a
        provider's tool, a dict, runs where no gate sees it: not registered). A result an app cleared from
        the request (`ContextEditingMiddleware`) is read as the state holds it: the model read less."""
        if self.node.flow is None:
            return
        for tool in getattr(request, "tools", None) or ():
            if isinstance(tool, BaseTool):
                self._refusing(self.register, tool)
        state = getattr(request, "state", None)
        messages = _uncleared(list(request.messages), _messages_of(state, self.node.messages_key))
        answered = [response] if isinstance(response, BaseMessage) else getattr(response, "result", None)
        if isinstance(answered, list):
            messages += [m for m in answered if isinstance(m, BaseMessage)]
        self.node.read({self.node.messages_key: messages}, _thread_id(None, state, self.node.messages_key))

    async def aread(self, request: Any, response: Any = None) -> None:
        """Async twin of `read`: the flow may read the journal, so off the event loop."""
        if self.node.flow is not None:
            await off_loop(self.read, request, response)

    def settle(self, call: Mapping[str, Any], state: Any, thread_id: str, work: _Work) -> Any:
        """Verify one call and commit it through the journal; returns the tool's output or the denial."""
        # the saver the run is checkpointed in, as the guard node's own runs note theirs (`GuardNode._func`): an
        # `Agent` on this journal's file erasing the thread erases these entries too, so its checkpoints there first
        run = _configurable(None, (_CHECKPOINTER,))
        if run is not None:
            self.node.savers.note(run.get(_CHECKPOINTER))
        try:
            return self._settle(call, state, thread_id, work)
        except (AnswerError, JournalError) as exc:
            # the run must stop with nothing saved (a call another run is inside, an answer sent to a question
            # answered already): a tool error would be saved as the call's failure by LangChain's handlers
            raise _stopping(exc) from exc.__cause__

    def _settle(self, call: Mapping[str, Any], state: Any, thread_id: str, work: _Work) -> Any:
        work.structured = self.node.flow is not None
        work.written = call.get("args")
        work.key = self.node.messages_key
        call_id = str(call.get("id") or "")
        work.keep = lambda kept, field="update": _keep(self.node.journal, thread_id, call_id, str(call.get("name")), kept, field)
        if work.structured:
            try:
                state = self._read_sent(state, thread_id)
            except ThreadBusy as busy:  # denied, not hung, as the call itself is when it waits too long
                return self.node.refuse_busy(call, state, thread_id, busy)
        if call_id and self._twice_in_turn(state, call_id):
            # a turn's calls may run at once (`create_agent` sends each to the tool node as its own task),
            # so which of the two came first is not known: both are refused, and nothing runs
            return self.node.refuse_duplicate(call, state, thread_id, "turn", f"call id {call_id!r} appears more than "
                                              "once in one model turn; each call needs its own id")
        token = _WORK.set(work)
        try:
            # a tool that calls interrupt() raises GraphBubbleUp through here: the journal records
            # the commit as paused, so resuming verifies the call again and re-enters the tool
            shown, by_person = _changed_from(call, state, self.node.messages_key)
            message = self.node.handle(call, state, thread_id, changed_from=shown, by_person=by_person)
        finally:
            _WORK.reset(token)
        outcome = message.artifact["vfa"]["outcome"]
        if work.output is _OPEN and outcome in ("committed", "ran") and self.node.flow is not None:
            whole = _kept(self.node.journal, thread_id, call_id, _NODE_UPDATE) if work.update else None
            if whole is not None:  # an effect node's update, as it wrote it (its node writes each value's handle)
                return _SERDE.loads_typed((whole["serde"], base64.b64decode(whole[_COMMAND])))
            kept = _kept(self.node.journal, thread_id, call_id)
            if kept is not None:  # a replay: the rest of the Command's update lands again, beside the flow's text
                return Command(update={**kept, self.node.messages_key: [message]})
        if work.output is _OPEN and outcome in ("committed", "ran") and self.node.flow is None:
            # a replayed node (after an interrupt, a crash): a tool's Command comes back as it ran
            command = _replayed_command(self.node.journal, thread_id, str(call.get("id") or ""), update=work.update)
            if command is not None:
                return command
        if work.output is _OPEN and outcome in ("committed", "ran") and work.plain:
            # a plain call answered again from the journal (its task ran again): its result as first returned
            recorded = _recorded(self.node.journal, thread_id, call_id)
            return _view(recorded, message.content) if self.node.flow is not None else recorded
        if work.output is not _OPEN and outcome in ("committed", "ran", "failed"):
            out = work.output  # the tool's own message, as the unguarded node would give it
            if isinstance(out, ToolMessage) and isinstance(out.artifact, dict) and "vfa" in out.artifact:
                # only the gate says what became of a call: a tool's own "vfa" entry (say, a made-up
                # denial that would hide its result from the privacy flow) is replaced by the truth
                out = out.model_copy(update={"artifact": {**out.artifact, "vfa": message.artifact["vfa"]}})
            if self.node.flow is not None:
                if work.plain and not isinstance(out, (ToolMessage, Command)):
                    return _view(out, message.content)
                if isinstance(out, ToolMessage) or (isinstance(out, Command) and _said(out, work.written, work.key) is not None):
                    # the flow's view: handles, not values
                    return _shown(out, message.content, message.artifact, work.written, work.key)
                if isinstance(out, (Command, list, tuple)) and not work.update:
                    # (an effect node's update is its own, written with each value behind a handle as its handle:
                    # `EffectNode._result`, a Command's as a record's, on its first run as when answered again)
                    # it would write more than its tool message (messages the flow cannot show as it
                    # labelled them, user-looking ones among them): the model gets the flow's text instead
                    return message
            return out
        return message

    def _read_sent(self, state: Any, thread_id: str) -> Any:
        """Hand the flow the state of the run a `Send` task runs in, where the call's state is not it (a
        `Send` of a state of the app's choosing, which a ToolNode or an effect node takes for its input): the
        model read the run's state, so a result written there past the gate counts, though the Send left it out.
        Returns the state to judge the call in: the call's own, its conversation that of the run (the user's
        words that ground a recipient, the gate's messages an approval was given for), followed by what the
        Send's state holds that the run's does not."""
        key = self.node.messages_key
        held = _messages_of(_sent_state(key), key)
        given = _messages_of(state, key)
        if held and not (len(held) == len(given) and all(a is b or a == b for a, b in zip(held, given))):
            self.node.read({key: held}, thread_id)
            if isinstance(state, Mapping):
                return {**state, key: [*held, *_not_in(given, held)]}
        return state

    def _twice_in_turn(self, state: Any, call_id: str) -> bool:
        """Whether the model turn that made this call made another call with the same id."""
        messages = state.get(self.node.messages_key) if isinstance(state, Mapping) else \
            getattr(state, self.node.messages_key, None)
        for m in reversed(messages) if isinstance(messages, list) else ():
            calls = getattr(m, "tool_calls", None)
            if calls:
                ids = [str(c.get("id") or "") for c in calls]
                if call_id in ids:
                    return ids.count(call_id) > 1
        return False

    async def asettle(self, call: Mapping[str, Any], state: Any, thread_id: str, work: _Work) -> Any:
        """Async twin of `settle`: the guards run in a worker thread, the tool on this event loop."""
        work.loop = asyncio.get_running_loop()
        return await off_loop(self.settle, call, state, thread_id, work)


_STOPS: dict[type, type] = {}


def _stopping(exc: BaseException) -> BaseException:
    """`exc` as a `GraphBubbleUp` too (its type, message and attributes kept), which LangChain's tool-error
    handlers re-raise and LangGraph saves nothing of (a model told the call failed would make it again)."""
    kind = type(exc)
    stop = _STOPS.get(kind)
    if stop is None:
        stop = _STOPS.setdefault(kind, type(kind.__name__, (kind, GraphBubbleUp), {
            "__module__": kind.__module__, "__qualname__": kind.__qualname__,
            "__reduce__": lambda self: (kind, self.args)}))  # pickled as the error it is
    out = Exception.__new__(stop, *exc.args)
    out.__dict__.update(exc.__dict__)
    return out.with_traceback(exc.__traceback__)


_REVIEWED = "hitl_edited_tool_calls"
"""State key where `HumanInTheLoopMiddleware` keeps each call a reviewer edited (call id -> the action
that runs), for its `wrap_tool_call` to run it: written from a person's answer, never by the model."""


def _changed_from(call: Mapping[str, Any], state: Any, key: str) -> tuple[Any, bool]:
    """The model's arguments for a call that reached the gate changed (a middleware's rewrite, of its
    arguments or of the tool it names), as its turn's message shows them, or None; and whether a person
    made the change: a reviewer's edit of the call as its turn's message shows it, which
    `HumanInTheLoopMiddleware`'s batched mode keeps in the state under `_REVIEWED`, and is the call the
    gate got. Its per-call mode asks about the call as it reached the middleware, which a middleware
    before it may have rewritten, and the question is not in the task's reach: what the reviewer kept
    of it cannot be told from what they typed, so such an edit is judged as the model's."""
    get = state.get if isinstance(state, Mapping) else lambda name: getattr(state, name, None)
    call_id = call.get("id")
    messages = get(key)
    found: Any = None
    for m in reversed(messages) if isinstance(messages, list) and call_id else ():
        found = next((c for c in getattr(m, "tool_calls", None) or () if c.get("id") == call_id), None)
        if found is not None:
            break
    shown = found.get("args") if found is not None else None
    if not isinstance(shown, Mapping) or (found.get("name") == call.get("name") and shown == call.get("args")):
        return None, False
    edits = get(_REVIEWED)
    action = edits.get(call_id) if isinstance(edits, Mapping) else None
    by_person = isinstance(action, Mapping) and action.get("name") == call.get("name") and action.get("args") == call.get("args")
    return shown, by_person


@dataclasses.dataclass
class _GatedRequest(ToolCallRequest):
    """A tool call request whose tool is always one of `gate`'s: a middleware that hands on another
    tool (`request.override(tool=...)`, LangChain's way to run a tool registered at run time) hands
    on its gated form, so the gate verifies whatever the ToolNode finally runs."""

    gate: Any = None

    def __post_init__(self) -> None:
        if self.gate is not None and self.tool is not None:
            object.__setattr__(self, "tool", self.gate.own(self.tool))

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "gate":  # this class's own field, set by its __init__: no deprecated write to the request
            object.__setattr__(self, name, value)
            return
        # `request.tool = other` (deprecated, yet it works) is gated as `override(tool=other)` is
        if name == "tool" and value is not None and getattr(self, "gate", None) is not None:
            value = self.gate.own(value)
        super().__setattr__(name, value)


def _not_in(messages: list[Any], held: list[Any]) -> list[Any]:
    """The `messages` that `held` does not hold (the same object, or an equal message: by its id where it has one)."""
    by_id = {m.id: m for m in held if isinstance(getattr(m, "id", None), str)}
    same = {id(m) for m in held}

    def there(m: Any) -> bool:
        mid = getattr(m, "id", None)
        if id(m) in same or (isinstance(mid, str) and mid in by_id and by_id[mid] == m):
            return True
        return not isinstance(mid, str) and any(m == h for h in held)

    return [m for m in messages if not there(m)]


def _messages_of(state: Any, key: str) -> list[Any]:
    """The messages a graph state holds under `key` (a dict state, or a pydantic / dataclass one)."""
    found = state.get(key) if isinstance(state, Mapping) else getattr(state, key, None)
    return found if isinstance(found, list) else []


def _uncleared(messages: list[Any], held: list[Any]) -> list[Any]:
    """`messages` with each tool message an app cleared from the model's request (marked so in its metadata,
    as `ContextEditingMiddleware` does) put back as the state holds it, where the state holds one message
    of its id: the model read less than that message, and that message says what it was (a result, the
    agent's reply to a structured answer, a denial)."""
    cleared = [at for at, m in enumerate(messages) if isinstance(m, ToolMessage) and isinstance(
        m.response_metadata.get("context_editing"), dict) and m.response_metadata["context_editing"].get("cleared")]
    if not cleared:
        return messages
    by_id: dict[str, Any] = {}
    for m in held:
        if isinstance(m, ToolMessage):
            by_id[m.tool_call_id] = None if m.tool_call_id in by_id else m  # an id shown twice: which one is unknown
    out = list(messages)
    for at in cleared:
        kept = by_id.get(out[at].tool_call_id)
        if kept is not None:
            out[at] = kept
    return out


def _view(out: Any, shown: Any) -> Any:
    """The flow's view of a result in the result's own kind: its text for a text, else the value that
    text encodes (records with handles in place of private values), or the text when it encodes none."""
    if isinstance(out, str) or not isinstance(shown, str):
        return shown
    try:
        return json.loads(shown)
    except ValueError:
        return shown


def a_gate(gate: Any, what: str) -> ToolGate:
    """`gate`, refused (`TypeError`, naming `what`) unless it is a `ToolGate`: another object fails far from here."""
    if not isinstance(gate, ToolGate):
        raise TypeError(f"{what} must be a graphs.ToolGate (e.g. `GuardMiddleware(...).gate`), not {type(gate).__name__}")
    return gate


def shared_gate(gate: Any, **given: Any) -> ToolGate:
    """`a_gate(gate, "gate")`, refused (`ConfigError`) when a setting the gate replaces was given beside it (any of
    `given` not None): it would be dropped without a word, and a guard given there judge no call."""
    gate = a_gate(gate, "gate")
    for what, value in given.items():
        if value is not None:
            raise ConfigError(f"{what} was given with gate=, which replaces it: give it to the shared "
                              f"graphs.ToolGate(...) instead (or build a gate of its own: drop gate=)")
    return gate


class GatedTool:
    """A LangChain tool seen through a gate: `invoke` verifies the call, then commits it once.

    Everything else (name, schemas, description) is the wrapped tool's. Invoked with a tool call it
    answers with a `ToolMessage`, as a tool does; invoked with plain arguments it returns the tool's
    result when committed (with a flow, as the model would be shown it: handles, not private values,
    and a result computed from a handle as its handle), and the denial's `ToolMessage` (status
    "error") when not.
    """

    __vfa_unmediated__ = ("tool",)
    """Its attributes that hand out the tool itself, ungated: the coverage check names code that reads one."""

    def __init__(self, tool: Any, gate: ToolGate, *, state: Any = None) -> None:
        self.tool = tool
        self.gate = gate
        self.state = state  # None: the state of the tool call the gate is handing on, if any
        self.spec = gate.register(tool)
        # injected values (state, store, runtime, call id) are the ToolNode's, not the model's
        # (a bare InjectedToolArg is none of them: a ToolNode strips it, so a value it holds is written
        # past the ToolNode, the model's maybe; it is in the guards' schema, `_spec_of`)
        self.hidden_keys = frozenset(k for k, kind in self.spec.meta[INJECTED].items() if kind != "arg")
        # the other names the tool's schema reads them under (aliases): the ToolNode injects by the field's
        # name, so a value written under one is the model's, which the schema would read first
        self.hidden_aliases = injected_names(tool, self.hidden_keys) - self.hidden_keys
        self.records = self.spec.meta.get(RESULT_SHAPE) != "text"
        self.__vfa_mediated__ = True

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.tool, name)
        if name in ("func", "coroutine") and callable(value):
            return _Sealed(value, f"{self!r}.{name}")  # read for its annotations (LangGraph's injected arguments)
        if callable(value) and not isinstance(value, type) and not name.startswith("get_") and name not in _READS:
            # the tool's own ways of running it (`with_config`, `bind`, `with_retry`, `pipe`...) and what
            # it runs (a `StructuredTool`'s `func` and `coroutine`) would reach the raw tool: refused, so
            # that nothing reaches the tool past the gate (its schemas, classes, are handed on)
            raise UnmediatedEffectError(f"{self!r}.{name} would run the tool past its guards; call the gated "
                                        "tool's invoke, ainvoke, batch, abatch, stream, astream, run or arun")
        return value

    def __repr__(self) -> str:
        return f"GatedTool({self.tool.name!r})"

    def _run_config(self, config: Any) -> Any:
        """The config the tool runs under: under a flow, given the values behind handles, without LangGraph's
        stream handlers (`without_graph_streams`)."""
        return without_graph_streams(config) if self.gate.node.flow is not None else config

    def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        """Verify, then run the tool as `tool.invoke` would, inside the journal's commit."""
        call, rebuild = self._split(input, config)
        # with plain arguments a handled ToolException comes back as a bare result: raised, it is the error it is
        tool, flag = (self.tool, None) if _is_call(input) else errors_raised(self.tool)
        run = self._run_config(config)
        work = _Work(lambda args: _handled(tool.invoke, flag, rebuild(args), run, kwargs))
        work.records = self.records
        work.plain = not _is_call(input)
        state = self._state(config)
        return self.gate.settle(call, state, _thread_id(config, state, self.gate.node.messages_key, self.gate.node.flow),
                                work)

    async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        """Async twin of `invoke`."""
        call, rebuild = self._split(input, config)
        tool, flag = (self.tool, None) if _is_call(input) else errors_raised(self.tool)
        run = self._run_config(config)
        work = _Work(lambda args: _handled(tool.invoke, flag, rebuild(args), run, kwargs),
                     lambda args: _ahandled(tool.ainvoke, flag, rebuild(args), run, kwargs))
        work.records = self.records
        work.plain = not _is_call(input)
        state = self._state(config)
        return await self.gate.asettle(
            call, state, _thread_id(config, state, self.gate.node.messages_key, self.gate.node.flow), work)

    def batch(self, inputs: list[Any], config: Any = None, *, return_exceptions: bool = False, **kwargs: Any) -> list[Any]:
        """`invoke` of each input, one after another (calls of one thread are verified in turn anyway)."""
        out = []
        configs = _configs(inputs, config)
        for item, cfg in zip(inputs, configs):
            try:
                out.append(self.invoke(item, cfg, **kwargs))
            except Exception as exc:
                if not return_exceptions:
                    raise
                out.append(exc)
        return out

    async def abatch(self, inputs: list[Any], config: Any = None, *, return_exceptions: bool = False,
                     **kwargs: Any) -> list[Any]:
        """Async twin of `batch`."""
        out = []
        configs = _configs(inputs, config)
        for item, cfg in zip(inputs, configs):
            try:
                out.append(await self.ainvoke(item, cfg, **kwargs))
            except Exception as exc:
                if not return_exceptions:
                    raise
                out.append(exc)
        return out

    def stream(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        """`invoke`, as one chunk (a tool's output is one value)."""
        yield self.invoke(input, config, **kwargs)

    async def astream(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        """Async twin of `stream`."""
        yield await self.ainvoke(input, config, **kwargs)

    def run(self, tool_input: Any, *args: Any, config: Any = None, **kwargs: Any) -> Any:
        """`invoke` of the tool's input (LangChain's older entry point; its callback options are not taken)."""
        return self.invoke(tool_input, config)

    async def arun(self, tool_input: Any, *args: Any, config: Any = None, **kwargs: Any) -> Any:
        """Async twin of `run`."""
        return await self.ainvoke(tool_input, config)

    def with_state(self, state: Any) -> GatedTool:
        """This tool through the same gate, its calls judged on `state` (holding the messages the caller's
        model read): for code whose run state holds no conversation, such as a functional-API task."""
        return GatedTool(self.tool, self.gate, state=state)

    def _state(self, config: Any = None) -> Any:
        if self.state is not None:
            return self.state
        handed = _STATE.get()
        state = None
        if handed is not None and handed.open:
            state, task = handed.state, handed.task
            # a node of a graph that a ToolNode's tool runs (an agent used as a tool) is another run: its
            # model read that run's state, not the ToolNode's the context still carries
            if task is not None and _task_of(config) not in (None, task):
                state = _run_state(config) or state
        else:
            # called by a node of the app's own: the flow must read what that node's model was given (a
            # result no gate wrote, the user's words), so the run's state, as a ToolNode fed a Send reads it
            state = _run_state(config)
        return state if state is not None else {}

    def _split(self, input: Any, config: Any = None) -> tuple[dict[str, Any], Callable[[dict[str, Any]], Any]]:
        """The proposal the model made, and how to rebuild the tool's input from verified args."""
        is_call = _is_call(input)
        given = input.get("args") if is_call else input
        raw = dict(given) if isinstance(given, Mapping) else {} if is_call and given is None else given
        if not isinstance(raw, dict):
            if is_call:  # a call's args that are no object (a list, a text): the schema refuses them, naming them
                return {"name": self.tool.name, "args": raw, "id": str(input.get("id") or "")}, lambda args: args
            raw = {"input": raw}
        # guards judge the model's arguments; the tool gets the injected ones back untouched
        hidden = {k: v for k, v in raw.items() if k in self.hidden_keys}
        visible = {k: v for k, v in raw.items() if k not in self.hidden_keys}
        call_id = str(input.get("id") or "") if is_call else _plain_id(self.tool.name, raw, config, self.gate.node.flow)
        handed = _STATE.get()
        injected = handed is not None and handed.open and handed.call_id == call_id and input.get("name") == self.tool.name
        if injected and self.hidden_aliases:
            # what the model wrote under an injected argument's alias is dropped, neither judged nor given to the
            # tool (as the `Agent` drops it): the tool reads what the ToolNode injected
            visible = {k: v for k, v in visible.items() if k not in self.hidden_aliases}
        if hidden and not injected:
            # arguments no ToolNode injected (the app's own node ran the model's call), or injected for
            # another tool (a ToolNode injects by the call's name, and a middleware handed this tool on
            # for a call of another): their values may be the model's, written past the schema, or
            # what the other tool keeps, so the guards and the labels see them (the tool still gets
            # them as written)
            visible = raw
        call = {"name": self.tool.name, "args": visible, "id": call_id}

        def rebuild(args: dict[str, Any]) -> Any:
            merged = {**hidden, **args}
            return {**input, "args": merged} if is_call else merged

        return call, rebuild


def _handled(run: Callable[..., Any], flag: Any, input: Any, config: Any, kwargs: Mapping[str, Any]) -> Any:
    """`run(input, config)`, a `ToolException` raised as the error `flag` words (`vfa._lc_tools.errors_raised`)."""
    with in_handler_words(flag, _ToolError):
        return run(input, config, **kwargs)


async def _ahandled(run: Callable[..., Any], flag: Any, input: Any, config: Any, kwargs: Mapping[str, Any]) -> Any:
    """Async twin of `_handled`."""
    with in_handler_words(flag, _ToolError):
        return await run(input, config, **kwargs)


def _run_state(config: Any) -> Any:
    """The state of the graph run a call is made in, read as a `ToolNode` given a `Send` of bare calls reads
    it (LangGraph's state reader in the task's config); None outside a run, or where it cannot be read."""
    configurable = _configurable(config, (_READ_STATE, _READ))
    if configurable is None:
        return None
    try:
        read_state = configurable.get(_READ_STATE)
        if read_state is not None:
            return read_state()
        read = configurable.get(_READ)
        return read(list(read.args[1]), True) if read is not None else None
    except Exception:  # noqa: BLE001 - a reader of another LangGraph: the state stays unknown, as before
        return None


def _sent_state(key: str) -> Any:
    """The state of the graph run the running `Send` task runs in (LangGraph sets its reader for such tasks
    alone: a task of an edge is given that state), with its conversation under `key`; None elsewhere, or
    where it cannot be read."""
    configurable = _configurable(None, (_READ_STATE,))
    read_state = configurable.get(_READ_STATE) if configurable is not None else None
    if read_state is None:
        return None
    try:
        state = read_state()
    except Exception:  # noqa: BLE001 - a reader of another LangGraph: the call's own state is read, as before
        return None
    read = configurable.get(_READ)
    if not _messages_of(state, key) and read is not None:
        # the reader reads the node's input channels: a node typed by a schema of its own (a map-reduce `Send`
        # target, `def publish(state: Post)`) is given no conversation, though the model read the run's
        try:
            run = read([key], False)
        except Exception:  # noqa: BLE001 - no such channel, or another LangGraph's reader: as the reader gave it
            run = None
        if _messages_of(run, key):
            return run
    return state


def _task_of(config: Any) -> Any:
    """The id of the graph task a call is made in (its config's, else the context's); None outside a run."""
    configurable = _configurable(config, (_TASK_ID,))
    return None if configurable is None else configurable.get(_TASK_ID)


_PLAIN = RunTally()
"""How many plain calls of each tool and arguments each task's run made (while the run lives)."""


def _plain_id(tool: str, args: Any, config: Any, flow: Any = None) -> str:
    """The call id of a plain invocation: in a graph task, its task's id, its tool and arguments and its place
    among that run's calls of them, the same when LangGraph runs the task again (a resume after an interrupt
    or a crash, a retry), so the journal answers it as it answers the model's call, and a person's answer
    reaches the question it was asked for; elsewhere a fresh one (each invocation is a call of its own).
    Under a flow the arguments are digested under its secret (`PrivacyFlow.call_digest`): they may hold the
    values behind handles, and the id is traced (`gen_ai.tool.call.id`), where an unkeyed digest of a short
    value (a PIN) gives it away to whoever hashes every candidate."""
    configurable = _configurable(config, (_TASK_ID,))
    task = configurable.get(_TASK_ID) if configurable is not None else None
    if not task:
        return f"vfa-{uuid.uuid4().hex}"
    try:
        try:
            written = json.dumps([tool, args], sort_keys=True, default=_repr_unaddressed)
        except TypeError:  # keys of two kinds (1 and "b") cannot be sorted: in the order given, as a run again gives them
            written = json.dumps([tool, args], default=_repr_unaddressed)
    except (TypeError, ValueError, RecursionError):
        return f"vfa-{uuid.uuid4().hex}"  # arguments with no one text: a call of its own, as before
    keyed = getattr(flow, "call_digest", None) if flow is not None else None
    digest = keyed(written) if keyed is not None else hashlib.sha256(written.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    at = _PLAIN.count(str(task), configurable, digest)
    return f"vfa-{task}-{digest}-{at}"


def _configurable(config: Any, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The call's `configurable` when it holds any of `keys`, else the run's (from the context); None
    outside a graph run, and in a task or thread a gated tool's call left running once that call ended
    (the context it copied holds that ToolNode task's config on: `_Handed`)."""
    configurable = (config or {}).get("configurable") or {}
    if any(k in configurable for k in keys):
        return configurable
    try:
        from langgraph.config import get_config

        found = get_config().get("configurable") or {}
    except RuntimeError:  # outside a graph run
        return None
    handed = _STATE.get()
    if handed is not None and not handed.open and handed.task is not None and found.get(_TASK_ID) == handed.task:
        return None  # the run of a call that has ended, held on by a task or thread it left running: not this call's
    thread = configurable.get("thread_id")
    if thread is not None and str(found.get("thread_id")) != str(thread):
        # a call made for another thread than the run's (a task a node of that run left running holds its
        # config on, with no `_Handed` to close it): that run's state and task are not this thread's
        return None
    return found


def _configs(inputs: list[Any], config: Any) -> list[Any]:
    """A batch's config for each input: one for all, or a list of one each."""
    configs = config if isinstance(config, list) else [config] * len(inputs)
    if len(configs) != len(inputs):
        raise ValueError(f"a batch of {len(inputs)} inputs got {len(configs)} configs")
    return configs


class _Sealed:
    """What a gated tool runs, as it may be read but never called: its name, doc and type hints."""

    def __init__(self, fn: Any, where: str) -> None:
        try:  # resolved here: a reader's `get_type_hints` needs no globals of the tool's module
            hints = typing.get_type_hints(fn, include_extras=True)
        except Exception:  # noqa: BLE001 - hints that do not resolve: as they are written
            hints = dict(getattr(fn, "__annotations__", {}) or {})
        self.__annotations__ = hints
        self.__name__ = getattr(fn, "__name__", "tool")
        self.__qualname__ = getattr(fn, "__qualname__", self.__name__)
        self.__doc__ = getattr(fn, "__doc__", None)
        self._where = where

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise UnmediatedEffectError(f"{self._where} would run the tool past its guards; call the gated tool's "
                                    "invoke, ainvoke, batch, abatch, stream, astream, run or arun")

    def __repr__(self) -> str:
        return f"<sealed {self._where}>"


_READS = frozenset({"dict", "json", "model_dump", "model_dump_json", "to_json", "to_json_not_implemented",
                    "is_lc_serializable", "lc_id", "get_name", "tool_call_schema", "args", "is_single_input"})
"""Methods of a LangChain tool a `GatedTool` hands on as they are: they describe the tool, never run it."""


def _is_call(input: Any) -> bool:
    return isinstance(input, Mapping) and input.get("type") == "tool_call"


class _NodeSpec(ToolSpec):
    """A graph node as an effect: its proposal's arguments are whatever the node's extractor gave."""

    __slots__ = ()

    def validate(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            from vfa import ArgumentError

            raise ArgumentError(f"arguments of node {self.name!r} must be an object, got {type(raw).__name__}")
        for name, value in raw.items():
            where = _nonfinite(value, str(name))
            if where is not None:  # as a tool's: a NaN passes every `>` check a guard makes
                from vfa import ArgumentError

                raise ArgumentError(f"invalid arguments for node {self.name!r}: {where}: a number must be finite "
                                    "(not NaN or infinite)")
        return dict(raw)


_FreeArgs = create_model("node_args", __config__=ConfigDict(extra="allow"))


def _spec_of(tool: Any, read_only: frozenset[str]) -> ToolSpec:
    # The kernel's description of a LangChain tool (its model-visible schema, its own guards, meta
    # and idempotence), with two retrofit rules: every tool not listed read-only is an effect (the
    # kernel counts only `vfa.Effect`s), and it runs through the gate's `_dispatch`, i.e. as the
    # ToolNode invokes it (injected arguments, config, the caller's event loop), not as `tool.invoke(args)`.
    _refuse_unawaited(tool)
    spec = ToolSpec.of(tool)
    if spec.takes_written:  # a LangChain tool
        # validated with what its call holds under an injected name: the ToolNode's node strips the model's
        # (`GatedTool._split`), while an app's own node gives the tool what it passes, judged as given
        spec.args_model = args_model_of(tool)
    spec.meta[RESULT_SHAPE] = result_shape(tool)  # a ToolNode hands on text: what it is made of
    spec.meta[INJECTED] = injected = injected_args(tool)
    bare = [k for k, kind in injected.items() if kind == "arg"]
    full = getattr(tool, "args_schema", None)
    if bare and isinstance(full, type) and issubclass(full, BaseModel) and issubclass(spec.args_model, BaseModel):
        # what a bare InjectedToolArg holds reaches the tool: the guards judge it as an argument (a ToolNode
        # strips it, so a value there was written past it, and the tool gets it: never dropped, as the
        # `Agent` drops it, which gives the tool its default)
        fields = {k: (full.model_fields[k].annotation, full.model_fields[k]) for k in bare}
        as_written = model_validator(mode="wrap")(classmethod(lambda cls, data, handler: handler(data)))
        spec = ToolSpec(name=spec.name, description=spec.description,
                        args_model=create_model(f"{tool.name}_args", __base__=spec.args_model,
                                                __validators__={GIVEN_BY_DEFAULT: as_written}, **fields),
                        fn=spec.fn, is_effect=spec.is_effect, idempotent=spec.idempotent, guards=spec.guards,
                        meta=spec.meta, is_async=spec.is_async, source=spec.source, takes_written=spec.takes_written)
    spec.fn = _dispatch
    spec.is_effect = spec.is_effect or tool.name not in read_only
    return spec


def _refuse_unawaited(tool: Any) -> None:
    """Refuse a tool whose function is an async effect and which has no coroutine: LangChain made it of the
    `Effect` object (`ToolNode([pay])`, `@tool` over `@effect async def`), which `inspect` never takes for a
    coroutine function, so it runs it as a sync one: its call would hand back an unawaited coroutine, which
    the ToolNode writes as the call's text, committed while the effect never ran (the `Agent` awaits it)."""
    fn = getattr(tool, "func", None)
    if isinstance(fn, Effect) and fn.is_async and getattr(tool, "coroutine", None) is None:
        raise ConfigError(
            f"tool {tool.name!r} runs the async effect {fn.name!r} as a sync function (LangChain cannot tell an "
            "effect object is async), so its call would never run it; give the ToolNode "
            f"`StructuredTool.from_function(coroutine={fn.name})` and run the graph with `ainvoke`, or give the "
            "effect to a vfa `Agent`, which awaits it")


def _rebuilt(known: Any, tool: Any, spec: ToolSpec, read_only: frozenset[str]) -> bool:
    """Whether `tool` is `known` built again (a tool an app builds per request): of the same class, from
    the same code (its function's, or its class's), with the same name, description, model-visible
    schema, declarations and guards, so the guards and the journal may take it for the same tool."""
    if type(tool) is not type(known) or tool.name != known.name or tool.description != known.description:
        return False
    for attr in ("func", "coroutine"):
        a, b = getattr(known, attr, None), getattr(tool, attr, None)
        if (a is None) != (b is None) or (a is not None and getattr(a, "__code__", a) is not getattr(b, "__code__", b)):
            return False
    try:
        again = _spec_of(tool, read_only)
        return (again.meta == spec.meta and again.guards == spec.guards and again.is_effect == spec.is_effect
                and again.idempotent == spec.idempotent
                and again.args_model.model_json_schema() == spec.args_model.model_json_schema())
    except Exception:  # noqa: BLE001 - a tool that cannot be described alike is another tool
        return False


def _about(tool: Any) -> str:
    text = " ".join(str(getattr(tool, "description", "") or "").split())
    return f"{type(tool).__name__} at {id(tool):#x}" + (f": {text[:60]!r}" if text else "")


def result_shape(tool: Any) -> str:
    """What the text a ToolNode makes of a LangChain tool's result is (`vfa._tools.RESULT_SHAPE`), from
    the return annotation of the tool's function: "records" for a dict or mapping, a list or tuple, a
    TypedDict, a pydantic model or a dataclass (or None or a union of them); "text" for `str`;
    "unknown" when unannotated or anything else (a `Command`, a message, `Any`)."""
    fn = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
    if fn is None:
        fn = getattr(type(tool), "_run", None)
    try:
        hint = typing.get_type_hints(fn).get("return") if fn is not None else None
    except Exception:  # noqa: BLE001 - an annotation that cannot be resolved says nothing
        hint = None
    if getattr(tool, "response_format", "content") == "content_and_artifact":
        # the message holds the first of the (content, artifact) pair the function returns
        args = typing.get_args(hint) if typing.get_origin(hint) is tuple else ()
        hint = args[0] if args and args[-1] is not Ellipsis else None
    if hint is str:
        return "text"
    return "records" if hint is not None and _is_record_type(hint) else "unknown"


def _is_record_type(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return bool(args) and all(_is_record_type(a) for a in args)
    if origin is typing.Annotated:
        return _is_record_type(typing.get_args(hint)[0])
    kind = origin if isinstance(origin, type) else hint
    if isinstance(kind, type) and issubclass(kind, (BaseMessage, ToolOutputMixin)):
        return False  # a message or a Command the tool writes: its text is no record the annotation describes
    if typing.is_typeddict(hint) or dataclasses.is_dataclass(kind):
        return True
    return isinstance(kind, type) and issubclass(kind, (Mapping, list, tuple, BaseModel)) and not issubclass(kind, str)


def _thread_id(config: Any, state: Any = None, messages_key: str = "messages", flow: Any = None) -> str:
    """The journal's thread key for a call: the kernel's `thread_key` of the run's config and state.

    With a thread id it is the thread id. Without one it is the run's (the id of the first message in
    its state), or, for a state without messages, the node run's task id: the same for all the calls
    of a ToolNode run (the gate is entered once per call) and never shared with another
    run. Outside any graph run the caller's call ids are the idempotency keys, on one thread: the
    flow's user's (`PrivacyFlow.plain_thread`: users' flows may share a journal), else "".
    """
    configurable = _configurable(config, ("thread_id", _TASK_ID))
    if configurable is None:
        plain = getattr(flow, "plain_thread", "") if flow is not None else ""
        return plain if isinstance(plain, str) else ""
    return thread_key({"configurable": configurable}, state, messages_key)
