"""An error a tool answers in content blocks (every MCP server's) is told as its text.

langchain-mcp-adapters gives every MCP tool a `handle_tool_error` that returns the server's error as
LangChain content blocks, each with an id of its own (`create_text_block`: "lc_" and a random uuid). vfa words
a handled error as the handler does (`vfa/_lc_tools.py` `handler_words`, and `_answer` in `vfa/_injected.py`,
`_record` in `graphs/_gate.py` for a message of status "error"), but a handler's answer that is no text was
written by its repr: the model, the journal and the trace got
"lookup failed: ToolException: [{'type': 'text', 'text': 'Error executing tool lookup: no such record',
'id': 'lc_4f0c...'}]", Python's reading of a list, with a random id that made the same failure read
differently at each run (a journal, a test or a replay comparing two runs never agree).

What must hold: such an error reads as its blocks' text, "<tool> failed: ToolException: <the server's
words>", the same at every run, in the `Agent`'s message and journal and through a `GuardMiddleware` with a
privacy flow (which shows the gate's words); an answer with no text in it is still shown whole.

Fixed: `error_content_text` (vfa/_injected.py) reads text blocks as their texts, a line each.

Fixed: an error in content blocks is told as its blocks' text, a line each (vfa._injected.error_content_text).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool, ToolException
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

SAID = "Error executing tool lookup: no such record"
N = 0


def _blocks(exc: ToolException) -> list[dict[str, Any]]:
    """langchain-mcp-adapters' answer to an MCP server's error: its text blocks, each with an id of its own."""
    global N
    N += 1
    return [{"type": "text", "text": str(exc), "id": f"lc_{N:08x}"}]


def _lookup() -> Any:
    async def lookup(query: str) -> Any:
        raise ToolException(SAID)

    return StructuredTool(name="lookup", description="Look a record up.", coroutine=lookup, handle_tool_error=_blocks,
                          response_format="content_and_artifact",
                          args_schema={"type": "object", "properties": {"query": {"type": "string"}},
                                       "required": ["query"]})


def _agent_run() -> tuple[ToolMessage, EffectJournal]:
    journal = EffectJournal()
    app = Agent(ScriptedModel([("lookup", {"query": "x"}), "done"]), [_lookup()], journal=journal).compile(
        checkpointer=InMemorySaver())
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("look x up")]}, {"configurable": {"thread_id": "t"}}))
    return next(m for m in out["messages"] if isinstance(m, ToolMessage)), journal


def test_the_agent_tells_the_servers_words() -> None:
    message, journal = _agent_run()
    assert message.status == "error"
    assert message.content == f"lookup failed: ToolException: {SAID}", message.content
    (failed,) = [e for e in journal.entries("t") if e.kind == "failed"]
    assert "lc_" not in str(failed.data) and SAID in str(failed.data), failed.data


def test_the_same_failure_reads_the_same_at_every_run() -> None:
    assert _agent_run()[0].content == _agent_run()[0].content


def test_the_middleware_with_a_flow_tells_the_servers_words() -> None:
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), journal=journal)
    tool = privacy_sink()(privacy_source(pure=True)(_lookup()))
    app = create_agent(ScriptedModel([("lookup", {"query": "x"}), "done"]), [tool], checkpointer=InMemorySaver(),
                       middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage("look x up")]}, {"configurable": {"thread_id": "t"}}))
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    text = message.content if isinstance(message.content, str) else message.content[0]["text"]
    assert text == f"lookup failed: _ToolError: {SAID}", message.content


@pytest.mark.parametrize("answer", [[{"type": "image", "url": "https://x.example/a.png"}], {"code": 7}])
def test_an_answer_without_text_is_shown_whole(answer: Any) -> None:
    from vfa._injected import error_content_text

    assert error_content_text(answer) == repr(answer)
