"""An MCP tool made as a `BaseTool` subclass (no `func`, no `coroutine`) is declared as any tool is.

`privacy_source`/`privacy_sink` declare a LangChain tool on the function it runs; MCP adapters that subclass
`BaseTool` with their own `_arun` (each server tool's `args_schema` the server's JSON schema) have none, and
a declaration on the class would be every server tool's. Such a tool carries its declaration itself
(`annotate`), read as a `@tool`'s is: the profile server's SSN shown as a handle, and the mail to bob, who
may not read it, denied.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool, StructuredTool

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

pytestmark = pytest.mark.filterwarnings("ignore:privacy source of read tool")
USER = "me@home.example"
BOB = "bob@friend.example"
SSN = "078-05-1120"


class ServerTool(BaseTool):
    """One tool of an MCP server, as an adapter that subclasses `BaseTool` makes it."""

    reply: dict = {}

    def _run(self, **kwargs: Any) -> dict:
        return self.reply

    async def _arun(self, **kwargs: Any) -> dict:
        return self.reply


def _declared_profile() -> Any:
    tool = ServerTool(name="get_profile", description="The user's profile.",
                      args_schema={"type": "object", "properties": {}}, reply={"name": "Ann", "ssn": SSN})
    try:
        return privacy_sink()(privacy_source(private=["ssn"], kind="profile")(tool))
    except Exception as exc:  # noqa: BLE001 - the way there is to declare it
        pytest.fail(f"a BaseTool-made MCP tool cannot be declared a source: {type(exc).__name__}: {exc}")


def test_a_basetool_mcp_tool_declared_a_source_keeps_its_private_field() -> None:
    sent: list[dict] = []

    async def send(**kw: Any) -> str:
        sent.append(kw)
        return "sent"

    mail = StructuredTool(name="send", description="Send a mail.", coroutine=send, args_schema={
        "type": "object", "properties": {"to": {"type": "string"}, "body": {"type": "string"}}, "required": ["to", "body"]})
    mail = privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(mail))

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if len(results) == 1:
            return AIMessage("", tool_calls=[{"name": "send", "id": "c2", "args": {"to": BOB, "body": f"ssn {SSN}"}}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"decl-basetool")
    app = Agent(ScriptedModel(rule=rule), [_declared_profile(), mail], guards=[flow.guard()], flow=flow).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage(f"Say hello to {BOB}.")]},
                                  {"configurable": {"thread_id": "t"}}))
    results = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert SSN not in results[0].content, f"the declared-private SSN was shown in clear: {results[0].content!r}"
    assert sent == [] and results[-1].artifact["vfa"]["outcome"] == "denied", f"the SSN reached bob: {sent}"
