"""A tool that answers its error in content blocks blinds a `graphs` privacy flow.

langchain-mcp-adapters gives every MCP tool a `handle_tool_error` that returns the server's error as
LangChain content blocks (`[{"type": "text", "text": ...}]`), so a `ToolNode` writes a tool message of
status "error" whose content is a list. Under a privacy flow the gate shows the model its own words for the
failure instead ("boom failed: ..."), in one text block, since the tool's content was blocks
(`graphs/_gate.py` `_shown`). But the flow's record of what it wrote for a failed call
(`guards/_threads.py` `_written`) holds that text bare, after "<tool> failed: ", and the bare text in one
block, never "<tool> failed: ..." in one block, so the flow took the gate's own message for a result no gate
labelled: journaled `unobserved`, and every later argument of the thread labelled private to the user and
untrusted. One failed MCP call denied every later disclosure the policy allows (a mail the user asked for,
to the address they typed), with `GuardMiddleware` and with `guard_graph` alike.

What must hold: a failed call whose tool answers in blocks is a failure the flow labelled (error text),
nothing unobserved; a later call the policy allows commits, live and in the audit of the messages.

Fixed: the gate's words for a failure in one text block count as what it wrote (`_written`).

Fixed: the gate's words for a failure in one text block count as what the flow wrote
(guards._threads._written).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool, ToolException
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware, guard_graph
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source, trace_from_messages
from vfa import EffectJournal
from vfa.testing import ScriptedModel

ME, FRIEND = "me@home.example", "sam@friends.example"


def _blocks(exc: ToolException) -> list[dict[str, Any]]:
    """What langchain-mcp-adapters' `_handle_mcp_tool_error` answers an MCP server's error with."""
    return [{"type": "text", "text": str(exc)}]


def _tools(sent: list[dict[str, Any]]) -> list[Any]:
    async def lookup(query: str) -> Any:
        raise ToolException("Error executing tool lookup: no such record")

    async def send(to: str, body: str) -> str:
        sent.append({"to": to, "body": body})
        return "sent"

    lookup_tool = StructuredTool(
        name="lookup", description="Look a record up.", coroutine=lookup, handle_tool_error=_blocks,
        response_format="content_and_artifact",
        args_schema={"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]})
    send_tool = StructuredTool(
        name="send", description="Send a note.", coroutine=send,
        args_schema={"type": "object", "properties": {"to": {"type": "string"}, "body": {"type": "string"}},
                     "required": ["to", "body"]})
    return [privacy_sink()(privacy_source(pure=True)(lookup_tool)),
            privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(send_tool))]


def _run(how: str) -> tuple[dict[str, Any], EffectJournal, list[dict[str, Any]], list[Any]]:
    sent: list[dict[str, Any]] = []
    tools = _tools(sent)
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), journal=journal)
    model = ScriptedModel([("lookup", {"query": "x"}), ("send", {"to": FRIEND, "body": "see you at noon"}), "done"])
    if how == "middleware":
        app = create_agent(model, tools, checkpointer=InMemorySaver(),
                           middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    else:
        app = guard_graph(create_agent(model, tools, checkpointer=InMemorySaver()), [flow.guard()], flow=flow,
                          journal=journal)
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage(f"look x up, then tell {FRIEND}: see you at noon")]},
                                  {"configurable": {"thread_id": "t"}}))
    return out, journal, sent, tools


@pytest.mark.parametrize("how", ["middleware", "guard_graph"])
def test_an_error_in_blocks_is_a_labelled_failure(how: str) -> None:
    out, journal, sent, tools = _run(how)
    failed, answer = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert failed.status == "error" and "no such record" in str(failed.content), failed.content
    kinds = [(e.call_id, e.kind) for e in journal.entries("t") if e.kind in ("failed", "unobserved", "committed", "denied")]
    assert kinds == [("call_0_0", "failed"), ("call_1_0", "committed")], (kinds, answer.content)
    assert sent == [{"to": FRIEND, "body": "see you at noon"}]


@pytest.mark.parametrize("how", ["middleware", "guard_graph"])
def test_the_audit_of_the_messages_reads_the_failure_as_live(how: str) -> None:
    out, _, _, tools = _run(how)
    assert audit_trace(trace_from_messages(out["messages"]), tools, PrivacyPolicy.of(ME)) == []
