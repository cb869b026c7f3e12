"""Audit: run the privacy checker over a recorded trace and report every flow violation in it.

The same `PrivacyFlow` labelling and the same `PrivacyGuard.violations` the live guard uses, driven by
a recorded trace instead of a graph, so logs of agents that ran without vfa can be checked after the
fact, and a vfa run's journal gives the same violations its guard reported.

A trace is a list of events, oldest first:

    {"type": "user", "content": "..."}
    {"type": "call", "id": "c1", "tool": "send_email", "args": {...}}
    {"type": "result", "id": "c1", "tool": "send_email", "result": ...}
    {"type": "error", "id": "c1", "tool": "send_email", "error": "..."}   (a tool's failure, as the model read it)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from vfa import Proposal, ToolSpec

from ._flow import PrivacyFlow
from ._privacy import PrivacyGuard, FlowViolation
from ._privacy_decl import PrivacyPolicy

__all__ = ["audit_trace", "trace_from_journal", "trace_from_messages"]


def audit_trace(trace: Iterable[Mapping[str, Any]], tools: Sequence[Any], policy: PrivacyPolicy | None = None, *,
                flow: PrivacyFlow | None = None, thread_id: str = "audit") -> list[FlowViolation]:
    """Every flow violation in a recorded trace, in the order the calls were made.

    Args:
        trace: user messages, tool calls and tool results (see the module docstring).
        tools: the tools the agent had, with their privacy declarations.
        policy: the user's policy (ignored when `flow` is given).
        flow: the flow to label with; default a fresh one without handles, which tracks every private
            value by content (an agent without vfa saw them in clear). Give a flow with the live run's
            secret and `thread_id` to audit a vfa journal whose arguments hold handles.
        thread_id: the thread the trace belongs to.
    """
    flow = flow or PrivacyFlow(policy, handles=False)
    guard = PrivacyGuard(flow)
    specs = {s.name: s for s in map(ToolSpec.of, tools)}
    users: list[str] = []
    seen: set[str] = set()
    calls: dict[str, Proposal] = {}  # a result is labelled with its call's argument labels, as live
    found: list[FlowViolation] = []
    for event in trace:
        kind = event.get("type")
        if kind == "user":
            users.append(str(event.get("content", "")))
        elif kind == "call":
            tool, args = str(event.get("tool")), dict(event.get("args") or {})
            labels = flow.label_args(args, thread_id, users, set(seen))
            call_id = str(event.get("id"))
            proposal = calls[call_id] = Proposal(call_id=call_id, tool=tool, args=args, labels=labels,
                                                 thread_id=thread_id)
            found.extend(guard.violations(proposal, specs.get(tool), set(seen)))
        elif kind in ("result", "error"):
            call_id, tool = str(event.get("id")), str(event.get("tool"))
            spec = specs.get(tool)
            proposal = calls.get(call_id) or Proposal(call_id=call_id, tool=tool, args={}, thread_id=thread_id)
            if kind == "result":
                flow.observe(proposal, spec, event.get("result"))
            else:
                flow.observe_error(proposal, spec, str(event.get("error", "")))
            seen.add(call_id)
    return found


def trace_from_messages(messages: Iterable[BaseMessage]) -> list[dict[str, Any]]:
    """A trace from a LangChain conversation (what an agent without vfa leaves behind)."""
    out: list[dict[str, Any]] = []
    names: dict[str, str] = {}
    for m in messages:
        if isinstance(m, HumanMessage):
            out.append({"type": "user", "content": m.content if isinstance(m.content, str) else json.dumps(m.content)})
        elif isinstance(m, AIMessage):
            for c in m.tool_calls:
                names[c["id"]] = c["name"]
                out.append({"type": "call", "id": c["id"], "tool": c["name"], "args": c["args"]})
        elif isinstance(m, ToolMessage):
            tool = m.name or names.get(m.tool_call_id, "")
            if m.status == "error":
                info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
                if isinstance(info, dict) and info.get("outcome") in ("denied", "rejected", "paused"):
                    continue  # a refused call: the tool never ran
                out.append({"type": "error", "id": m.tool_call_id, "tool": tool, "error": _text_of(m.content)})
                continue
            out.append({"type": "result", "id": m.tool_call_id, "tool": tool, "result": _parse(m.content)})
    return out


def trace_from_journal(journal: Any, thread_id: str, user_messages: Iterable[str] = ()) -> list[dict[str, Any]]:
    """A trace from a vfa journal: each proposal as proposed (handles and all) and each raw result."""
    out: list[dict[str, Any]] = [{"type": "user", "content": u} for u in user_messages]
    for e in journal.entries(thread_id):
        if e.kind == "proposed":
            out.append({"type": "call", "id": e.call_id, "tool": e.tool, "args": e.data.get("args") or {}})
        elif e.kind in ("ran", "committed"):
            out.append({"type": "result", "id": e.call_id, "tool": e.tool, "result": e.data.get("result")})
        elif e.kind == "failed":
            out.append({"type": "error", "id": e.call_id, "tool": e.tool, "error": e.data.get("error")})
    return out


def _text_of(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, default=repr)


def _parse(content: Any) -> Any:
    if not isinstance(content, str):
        return content
    try:
        return json.loads(content)
    except ValueError:
        return content
