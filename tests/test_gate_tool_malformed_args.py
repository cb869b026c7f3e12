"""A gated tool called with malformed arguments is denied with a message naming the problem.

1. `GatedTool.invoke({1: "x", "to": "a", "body": "b"})` (an argument named by a number, as a caller's
   dict may hold) raised pydantic's `ValidationError: 1 validation error for Proposal raw_args.1.[key]`:
   the gate's internal model, not the call, is named, and no denial is journaled. A tool's schema that
   allows extra arguments (a LangChain tool's) let the key through validation.
2. A tool call whose `args` is not an object (`{"name": "send", "args": [1, 2], "id": ...}`, or a text)
   raised `TypeError: cannot convert dictionary update sequence element #0 to a sequence` (or a
   `ValueError` about "dictionary update sequence") from `GatedTool._split`'s `dict(...)`, where the
   schema's own check says "arguments of 'send' must be an object, got list".

Expected: both are refused as any call the schema refuses: a denial naming the tool and the problem,
the tool never run. The Agent's own path refuses the same (an edit's argument named by a number).

Fixed: ToolSpec.validate refuses argument names that are not text; GatedTool._split hands a call's non-object
args to the schema check: both a journaled 'schema' denial.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool

from graphs import guard_tool
from vfa import ALLOW, guard

ok = guard(lambda p, c: ALLOW, name="ok")


def _send():
    ran: list[tuple[str, str]] = []

    @tool
    def send(to: str, body: str) -> str:
        """Send a message."""
        ran.append((to, body))
        return "sent"

    return guard_tool(send, [ok]), ran


@pytest.mark.parametrize("key", [1, None, 2.5])
def test_argument_named_by_no_text_is_denied(key: object) -> None:
    gated, ran = _send()
    out = gated.invoke({key: "x", "to": "a", "body": "b"})
    assert isinstance(out, ToolMessage) and out.status == "error"
    assert "send" in out.content and "name" in out.content
    assert ran == []


def test_argument_named_by_no_text_in_a_call_is_denied() -> None:
    gated, ran = _send()
    out = gated.invoke({"name": "send", "args": {1: "x", "to": "a", "body": "b"}, "id": "c1", "type": "tool_call"})
    assert isinstance(out, ToolMessage) and out.status == "error" and out.tool_call_id == "c1"
    assert ran == []


@pytest.mark.parametrize("args", [[1, 2], "to=a", 5])
def test_call_whose_args_are_no_object_is_denied(args: object) -> None:
    gated, ran = _send()
    out = gated.invoke({"name": "send", "args": args, "id": "c1", "type": "tool_call"})
    assert isinstance(out, ToolMessage) and out.status == "error" and out.tool_call_id == "c1"
    assert "must be an object" in out.content
    assert ran == []
    # the journal holds the call's denial
    assert [e.kind for e in gated.gate.journal.entries()][-1] in ("denied", "verdicts")
