"""Red team 134: a conversation whose tool messages chain `"after"` crashes `trace_from_messages` with
RecursionError.

Guarantee: a log the audit cannot read raises `TraceError` naming the fault, or is read; never a crash
(docs/privacy.md, "Audit"). The messages audit reads logs of agents that ran without vfa, whose tool messages'
artifacts any tool (a `content_and_artifact` tool handing on an API's reply) or app may write.

How it breaks: `trace_from_messages` holds a call's check again and result until the calls its message
names in `artifact["vfa"]["after"]["calls"]` have their results, and `place` releases what waited by
calling itself (guards/_audit.py). One turn of 2,000 calls, each message saying it came after the next
call's result, releases them as a chain 2,000 calls deep: `RecursionError` escapes the reader, a
bare crash where the audit promises a trace or a `TraceError`.

Fixed: what a call's `"after"` held is released from a stack of its own, in the same order, never by
recursion.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import trace_from_messages

N = 2000


def test_a_long_chain_of_after_is_read_without_recursion() -> None:
    calls = [{"name": "lookup", "args": {}, "id": f"c{i}"} for i in range(N)]
    messages = [HumanMessage("go"), AIMessage("", tool_calls=calls)]
    for i in range(N):
        after = {"vfa": {"after": {"calls": [f"c{i + 1}"], "again": False}}} if i < N - 1 else None
        messages.append(ToolMessage(f"r{i}", tool_call_id=f"c{i}", artifact=after))
    trace = trace_from_messages(messages)
    assert [e["type"] for e in trace].count("result") == N
    assert [e["id"] for e in trace if e["type"] == "result"] == [f"c{i}" for i in reversed(range(N))]
