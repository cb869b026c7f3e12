"""An MCP tool made as a `BaseTool` subclass (no `func`, no `coroutine`) can carry no privacy declaration.

Fault. `privacy_source`/`privacy_sink` declare a LangChain tool on the function it runs (`_attach`,
guards/_privacy_decl.py:184), and `ToolSpec.of` reads a tool's declarations from `tool.func or
tool.coroutine` alone (vfa/_lc_tools.py). MCP adapters that subclass `BaseTool` with their own `_arun` (as
`langchain-mcp-tools` and `mcp-use` build each server tool, its `args_schema` the server's JSON schema)
have neither: `privacy_source(...)(tool)` raises "declare the function it is made of", and there is none
to declare (a declaration on the class would be every server tool's). Nothing else declares a tool (no
declaration by tool name in the policy or flow), so such a tool's output is the undeclared output whatever
it holds: a profile server's SSN is shown to the model in clear, public, and mailed to anyone.

What must hold: a tool of any kind can be declared a source (and a sink), its declaration honoured as a
`@tool`'s is: the SSN shown as a handle, and the mail to bob, who may not read it, denied.

Fixed: not yet: a stated limit in the README (strict xfail); declare a function that calls the tool.
"""

from __future__ import annotations

import asyncio
import json
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

    reply: str = ""

    def _run(self, **kwargs: Any) -> str:
        return self.reply

    async def _arun(self, **kwargs: Any) -> str:
        return self.reply


def _declared_profile() -> Any:
    tool = ServerTool(name="get_profile", description="The user's profile.",
                      args_schema={"type": "object", "properties": {}}, reply=json.dumps({"name": "Ann", "ssn": SSN}))
    try:
        return privacy_sink()(privacy_source(private=["ssn"], kind="profile")(tool))
    except Exception as exc:  # noqa: BLE001 - the way there is to declare it
        pytest.fail(f"a BaseTool-made MCP tool cannot be declared a source: {type(exc).__name__}: {exc}")


@pytest.mark.xfail(strict=True, reason="a stated limit (README, privacy sources): a tool that runs no function of its own "
                   "cannot be declared; declare a function that calls it")
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
