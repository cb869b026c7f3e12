"""Injected arguments: those of a LangChain tool the model does not write, which a `ToolNode` gives it (the
call's id, the graph state, the store, a `ToolRuntime`), and how a guard node's commit gives them alike."""

from __future__ import annotations

import contextlib
import contextvars
import json
import types as pytypes
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from pydantic import AliasChoices, AliasPath, BaseModel

__all__ = ["CALLING", "answered_runs", "answers_with_message", "error_content_text", "injected_args", "injected_names",
           "injected_runs"]


def _injected_keys(tool: Any) -> frozenset[str]:
    """Arguments the ToolNode injects (state, store, runtime, call id): in args_schema, hidden from the model."""
    full, visible = getattr(tool, "args_schema", None), getattr(tool, "tool_call_schema", None)
    if not (isinstance(full, type) and issubclass(full, BaseModel)):
        return frozenset()
    shown = set(visible.model_fields) if isinstance(visible, type) and issubclass(visible, BaseModel) else set()
    return frozenset(set(full.model_fields) - shown)


def injected_args(tool: Any) -> dict[str, str]:
    """The arguments of a tool the model does not write, each to what a `ToolNode` injects into it:
    "call_id", "state", "store" or "runtime", or "arg" for one hidden from the model by a bare
    `InjectedToolArg`, which a ToolNode leaves out and an app's own node may fill (`vfa._tools.INJECTED`).
    State, store and runtime are found as the ToolNode finds them (its own reading of the tool's
    schema and signature), so what it injects is never taken for the model's or missed."""
    out = dict.fromkeys(_injected_keys(tool), "arg")
    if not hasattr(tool, "get_input_schema"):
        return out  # no LangChain tool: a ToolNode injects nothing into it
    from langgraph.prebuilt.tool_node import _get_all_injected_args  # what a ToolNode injects, as it reads it

    found = _get_all_injected_args(tool)
    out.update(dict.fromkeys(found.state, "state"))
    if found.store:
        out[found.store] = "store"
    if found.runtime:
        out[found.runtime] = "runtime"
    for name, kind in out.items():
        if kind == "arg" and _is_call_id(_hints_of(tool, name)):
            out[name] = "call_id"
    return out


def _hints_of(tool: Any, name: str) -> list[Any]:
    hints: list[Any] = []
    full = getattr(tool, "args_schema", None)
    field = full.model_fields.get(name) if isinstance(full, type) and issubclass(full, BaseModel) else None
    if field is not None:
        hints.extend((field.annotation, *field.metadata))
    fn = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
    try:
        hint = typing.get_type_hints(fn, include_extras=True).get(name) if fn is not None else None
    except Exception:  # noqa: BLE001 - hints that do not resolve: read from the schema alone
        hint = None
    if hint is not None:
        hints.append(hint)
    return hints


def _is_call_id(hints: Sequence[Any]) -> bool:
    """Whether LangChain fills an argument of these annotations with the call's id (`InjectedToolCallId`,
    as a class or an instance, anywhere in an `Annotated` or a union)."""
    from langchain_core.tools import InjectedToolCallId

    for hint in hints:
        if hint is InjectedToolCallId or isinstance(hint, InjectedToolCallId) or (
                isinstance(hint, type) and issubclass(hint, InjectedToolCallId)):
            return True
        origin = typing.get_origin(hint)
        if origin in (typing.Annotated, typing.Union, pytypes.UnionType) and _is_call_id(typing.get_args(hint)):
            return True
    return False


CALLING: contextvars.ContextVar[tuple[str, Any] | None] = contextvars.ContextVar("vfa_calling", default=None)
"""The call a guard node is committing: its id and the graph state its node was given. A LangChain tool
taking injected arguments is given them from it, as a `ToolNode` gives them (`injected_runs`)."""


def injected_runs(tool: Any, injected: Mapping[str, str], run: Callable[[Any], Any],
                   arun: Callable[[Any], Any]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """`run` and `arun` of a tool taking injected arguments (`injected_args`), given them as LangGraph's
    `ToolNode` gives them: the call's own id, the node's state, the graph's store and a `ToolRuntime`.
    What the model wrote under an injected argument's name or alias is dropped, never the tool's (no guard judged
    it: the guards are shown the arguments the model may write). The tool's answer to its call (a
    `ToolMessage`, or a `Command` holding only that message) is its result."""
    node: list[Any] = []  # a ToolNode of the tool alone, made once: it injects as LangGraph's own does
    names = injected_names(tool, injected)
    given_by_node = any(kind in ("state", "store", "runtime") for kind in injected.values())

    def prepare(args: Any) -> tuple[Any, str]:
        calling = CALLING.get()
        if calling is None:
            raise RuntimeError(f"tool {tool.name!r} takes injected arguments ({', '.join(sorted(injected))}): "
                               "it runs inside a guard node's commit, which gives them")
        call_id, state = calling
        written = {k: v for k, v in args.items() if k not in names}
        call = {"name": tool.name, "args": written, "id": call_id, "type": "tool_call"}
        if given_by_node:
            if not node:
                from langgraph.prebuilt import ToolNode

                node.append(ToolNode([tool], handle_tool_errors=False))
            call = node[0]._inject_tool_args(call, _tool_runtime(state, call_id))
            # only what `injected` names: an argument the model is shown stays as written, or left to its
            # default when not written (the ToolNode's reading takes one merely named `runtime` for the runtime)
            call["args"] = {**{k: v for k, v in call["args"].items() if k in injected}, **written}
        # LangChain fills the call id only into a tool invoked with the call
        return (call if "call_id" in injected.values() else call["args"]), call_id

    def run_injected(args: Any) -> Any:
        given, call_id = prepare(args)
        return _answer(run(given), call_id)

    async def answered(given: Any, call_id: str) -> Any:
        return _answer(await arun(given), call_id)

    return run_injected, lambda args: answered(*prepare(args))  # prepared here, in the commit's context


def answered_runs(run: Callable[[Any], Any], arun: Callable[[Any], Any],
                  records: bool) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """`run` and `arun` of a tool taking no injected argument, its answer read as `injected_runs` reads one
    (`_answer`): a `ToolMessage` it relays by its content, never its repr (which shows private fields in
    clear); its JSON read back as records only when `records` (the tool's result shape is "unknown")."""

    def call_id() -> str | None:
        calling = CALLING.get()
        return calling[0] if calling is not None else None

    async def answered(args: Any) -> Any:
        called = call_id()
        return _answer(await arun(args), called, records)

    return (lambda args: _answer(run(args), call_id(), records)), answered


def answers_with_message(tool: Any) -> bool:
    """Whether a tool's function says it returns a message or a `Command` (its return annotation), whose
    text may be anything shaped like records."""
    from langchain_core.messages import BaseMessage
    from langchain_core.tools.base import ToolOutputMixin

    fn = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
    try:
        hint = typing.get_type_hints(fn).get("return") if fn is not None else None
    except Exception:  # noqa: BLE001 - an annotation that cannot be resolved says nothing
        return False
    hints = [hint]
    while hints:
        h = hints.pop()
        if typing.get_origin(h) in (typing.Annotated, typing.Union, pytypes.UnionType):
            hints.extend(typing.get_args(h))
        kind = typing.get_origin(h) or h
        if isinstance(kind, type) and issubclass(kind, (BaseMessage, ToolOutputMixin)):
            return True
    return False


def injected_names(tool: Any, injected: Collection[str]) -> frozenset[str]:
    """The names the tool's own schema reads the `injected` arguments under: theirs and their aliases (a
    value the model writes under one would be the tool's in place of what the graph gives)."""
    full = getattr(tool, "args_schema", None)
    fields = full.model_fields if isinstance(full, type) and issubclass(full, BaseModel) else {}
    names = set(injected)
    for k in injected:
        field = fields.get(k)
        if field is None:
            continue
        for alias in (field.alias, field.validation_alias):
            if isinstance(alias, str):
                names.add(alias)
            elif isinstance(alias, AliasChoices):
                names.update(a for a in alias.choices if isinstance(a, str))
                names.update(a.path[0] for a in alias.choices if isinstance(a, AliasPath) and isinstance(a.path[0], str))
            elif isinstance(alias, AliasPath) and isinstance(alias.path[0], str):
                names.add(alias.path[0])
    return frozenset(names)


def _tool_runtime(state: Any, call_id: str) -> Any:
    """The `ToolRuntime` a `ToolNode` would give a call: the run's config, context, store and stream; no
    tools (one it lists would run past the guards)."""
    from langgraph.config import get_config
    from langgraph.prebuilt import ToolRuntime

    try:
        config = get_config()
    except RuntimeError:  # outside a graph run: no store, context or stream
        config = {}
    runtime = (config.get("configurable") or {}).get("__pregel_runtime")
    return ToolRuntime(state=state, tool_call_id=call_id, config=config, context=getattr(runtime, "context", None),
                       store=getattr(runtime, "store", None),
                       stream_writer=getattr(runtime, "stream_writer", None) or (lambda _: None), tools=[],
                       execution_info=getattr(runtime, "execution_info", None),
                       server_info=getattr(runtime, "server_info", None))


def _answer(result: Any, call_id: str | None, records: bool = True) -> Any:
    """A tool's result as the `Agent` reads it: the content of the message it answers with (also the call's
    own one a `Command` holds as its whole update), its JSON text read back as the value LangChain wrote it from (a
    dict: labelled field by field, each field also carrying the label of the whole, `RESULT_SHAPE`
    "unknown"; without `records`, its text as it is); a message of status "error" raised as the tool's
    failure; anything else as returned."""
    from langchain_core.messages import ToolMessage
    from langchain_core.tools import ToolException
    from langgraph.types import Command

    if isinstance(result, Command) and result.graph is None and result.resume is None and not result.goto:
        update = result.update
        messages = update.get("messages") if isinstance(update, Mapping) and len(update) == 1 else None
        own = messages[0] if isinstance(messages, Sequence) and len(messages) == 1 else None
        if getattr(own, "tool_call_id", None) == call_id:
            result = own
    # a message of another id too (a relayed answer): its content, as a ToolNode's gate reads it, never its
    # repr, which would show its records' private fields in clear
    if isinstance(result, ToolMessage):
        content = result.content
        if result.status == "error":
            raise ToolException(error_content_text(content))
        if records and isinstance(content, str) and content.lstrip()[:1] in ("{", "["):
            with contextlib.suppress(ValueError):
                return json.loads(content)
        return content
    return result


def error_content_text(content: Any) -> str:
    """The words of an error a tool answers with (a handler's answer, a message of status "error"): text as it
    is; text content blocks (langchain-mcp-adapters' answer to an MCP server's error) as their texts, a line
    each, as the adapter words them, never their repr (Python's reading of a list, each block with a random id
    of its own, so the same failure read differently at each run); anything else by its repr."""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and content and all(
            isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str) for b in content):
        return "\n".join(b["text"] for b in content)
    return repr(content)
