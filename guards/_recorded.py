"""Recorded conversations in LangChain's standard form: calls and results a log holds outside it, put there.

Logs of agents that ran without vfa record a call in more places than `AIMessage.tool_calls`: OpenAI's
function calling (`function_call`, answered by a `FunctionMessage`), Anthropic's Messages API (`tool_use`
blocks, answered by `tool_result` blocks in a user message), Bedrock's Converse API (`toolUse` and
`toolResult` blocks), the Responses API's `function_call` items and LangChain's own `tool_call` blocks. An audit that read only `tool_calls` would see no call in such a log
and report it clean, and would take a tool's result sent back in a user message for the user's words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ChatMessage, FunctionMessage, HumanMessage, ToolMessage

from vfa import VfaError

__all__ = ["TraceError", "standard"]


class TraceError(VfaError, ValueError):
    """A recorded trace the audit cannot read: the error names the event (by its place) and what is wrong."""


_CALL_BLOCKS = {"tool_use": "input", "tool_call": "args", "function_call": "arguments"}
"""The content blocks that record a call (Anthropic's, LangChain's, the Responses API's), with the key of
their arguments."""


def standard(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The conversation with every call a model turn records in `tool_calls` and every result in a
    `ToolMessage` answering it; a message of a role it cannot place raises `TraceError`."""
    out: list[BaseMessage] = []
    unanswered: dict[str, list[str]] = {}  # function name -> ids given to its function calls not yet answered
    for at, m in enumerate(messages):
        if isinstance(m, AIMessage):
            out.append(_with_calls(at, m, unanswered))
        elif isinstance(m, FunctionMessage):
            ids = unanswered.get(m.name)
            if not ids:
                raise TraceError(f"message {at}: the result of function {m.name!r}, which no call before it made")
            out.append(ToolMessage(content=m.content, tool_call_id=ids.pop(0), name=m.name))
        elif isinstance(m, HumanMessage) and isinstance(m.content, list):
            for block in filter(_is_result, m.content):
                out.append(_result(at, block))
            rest = [b for b in m.content if not _is_result(b)]
            for block in rest:  # the user's words: no block of a kind that may hold what a tool returned
                if not _said(block):
                    kind = block.get("type", next(iter(block), "")) if isinstance(block, dict) else type(block).__name__
                    raise TraceError(f"message {at}: a user content block of kind {str(kind)[:40]!r}, which the "
                                     "audit cannot read as the user's words")
            if rest:  # what the user wrote beside the results: their words
                out.append(m if len(rest) == len(m.content) else m.model_copy(update={"content": rest}))
        elif isinstance(m, ChatMessage):
            raise TraceError(f"message {at}: a message of role {m.role!r}, which the audit cannot place")
        else:
            out.append(m)
    return out


def _is_result(block: Any) -> bool:
    return isinstance(block, dict) and (block.get("type") == "tool_result" or "toolResult" in block and "type" not in block)


def _result(at: int, block: dict[str, Any]) -> ToolMessage:
    """The tool message a result block stands for: Anthropic's `tool_result`, Bedrock's `toolResult`."""
    if "toolResult" in block:
        inner = block["toolResult"]
        if not isinstance(inner, dict):
            raise TraceError(f"message {at}: a toolResult that is no object")
        call_id, content, error = inner.get("toolUseId"), inner.get("content", ""), inner.get("status") == "error"
    else:
        call_id, content, error = block.get("tool_use_id"), block.get("content", ""), bool(block.get("is_error"))
    if not isinstance(call_id, str) or not call_id:
        raise TraceError(f"message {at}: a tool result block without the id of its call")
    return ToolMessage(content=content, tool_call_id=call_id, status="error" if error else "success")


_SAID = frozenset({"text", "image", "image_url", "file", "audio", "video", "document", "input_text", "input_image",
                   "input_file", "input_audio"})
"""The kinds of a user's content blocks (text and media; Bedrock's blocks name their kind by their key)."""


def _said(block: Any) -> bool:
    """Whether a user message's content block is the user's own (text or media)."""
    if isinstance(block, str):
        return True
    if not isinstance(block, dict):
        return False
    kind = block.get("type")
    return kind in _SAID if kind is not None else len(block) == 1 and next(iter(block)) in _SAID


def _with_calls(at: int, m: AIMessage, unanswered: dict[str, list[str]]) -> AIMessage:
    """The turn with the calls it records outside `tool_calls` added to them."""
    known = {str(c.get("id")) for c in (*m.tool_calls, *m.invalid_tool_calls)}
    more: list[dict[str, Any]] = []
    for block in m.content if isinstance(m.content, list) else ():
        if isinstance(block, dict) and "toolUse" in block and "type" not in block:  # Bedrock's Converse API
            block = block["toolUse"] if isinstance(block["toolUse"], dict) else {}
            block = {"type": "tool_use", "id": block.get("toolUseId"), "name": block.get("name"),
                     "input": block.get("input", {})}
        key = _CALL_BLOCKS.get(block.get("type")) if isinstance(block, dict) else None
        if key is None:
            continue
        call_id = block.get("call_id") or block.get("id")  # the Responses API's item id is not its call's
        if not isinstance(call_id, str) or not call_id:
            raise TraceError(f"message {at}: a {block['type']} block without the id of its call")
        if call_id not in known:
            known.add(call_id)
            more.append(_call(at, call_id, block.get("name"), block.get(key, {})))
    legacy = m.additional_kwargs.get("function_call")
    if legacy is not None:
        if not isinstance(legacy, dict):
            raise TraceError(f"message {at}: a function_call that is no object")
        call_id = f"function_call:{at}"  # OpenAI's function calls have no id: named by their turn
        more.append(_call(at, call_id, legacy.get("name"), legacy.get("arguments", "{}")))
        unanswered.setdefault(str(legacy.get("name")), []).append(call_id)
    return m.model_copy(update={"tool_calls": [*m.tool_calls, *more]}) if more else m


def _call(at: int, call_id: str, name: Any, args: Any) -> dict[str, Any]:
    if not isinstance(name, str) or not name:
        raise TraceError(f"message {at}: call {call_id!r} names no tool")
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except (ValueError, RecursionError):
            raise TraceError(f"message {at}: the arguments of call {call_id!r} are text that is no JSON") from None
    if not isinstance(args, dict):
        raise TraceError(f"message {at}: the arguments of call {call_id!r} are no object "
                         f"(a {type(args).__name__})")
    return {"type": "tool_call", "id": call_id, "name": name, "args": args}
