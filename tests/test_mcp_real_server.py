"""Real MCP tools (a FastMCP server over stdio, loaded by langchain-mcp-adapters) under vfa.

What must hold, end to end with the `mcp` SDK's own server and the adapter's own tools (offline: the server is
a subprocess of the test): the schemas FastMCP emits are read as it means them (`anyOf` with null for an
Optional, `$defs`/`$ref` for a model, an enum, a pattern, bounds), a call they refuse is denied before the
server sees it and one they allow reaches it as written; an error the server answers is told in its words
(no repr of content blocks, no random ids) and, under a `GuardMiddleware` privacy flow, leaves the thread able
to send what the policy allows; the tools, coroutines only, run from `invoke` and `ainvoke`.

Needs `mcp` and `langchain-mcp-adapters`, which the `test` extra leaves out: skipped without them.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("langchain_mcp_adapters")

from langchain.agents import create_agent  # noqa: E402
from langchain_core.messages import HumanMessage, ToolMessage  # noqa: E402
from langchain_mcp_adapters.client import MultiServerMCPClient  # noqa: E402
from langchain_mcp_adapters.tools import load_mcp_tools  # noqa: E402
from langgraph.checkpoint.memory import InMemorySaver  # noqa: E402

from graphs import GuardMiddleware  # noqa: E402
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source  # noqa: E402
from vfa import Agent, EffectJournal  # noqa: E402
from vfa.testing import ScriptedModel  # noqa: E402

SERVER = textwrap.dedent('''
    from typing import Annotated, Literal, Optional
    from pydantic import BaseModel, Field
    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("vfa-test")

    class Address(BaseModel):
        street: str
        city: str = Field(pattern=r"^[A-Z][a-z]+$")

    @mcp.tool()
    def pay(to: Annotated[str, Field(pattern=r"^[a-z]+$")], amount: Annotated[int, Field(gt=0, le=1000)],
            currency: Literal["EUR", "USD"] = "EUR", memo: Optional[str] = None) -> str:
        """Pay someone."""
        return f"paid {amount} {currency} to {to} memo={memo!r}"

    @mcp.tool()
    def ship(address: Address, express: bool = False) -> dict:
        """Ship to an address."""
        return {"city": address.city, "express": express}

    @mcp.tool()
    def send_mail(to: list[str], body: str, cc: Optional[list[str]] = None) -> str:
        """Send a mail."""
        return f"mailed {to} cc={cc}"

    @mcp.tool()
    def boom(why: str) -> str:
        """Always fails."""
        raise ValueError(f"server refused: {why}")

    mcp.run("stdio")
''')

SEEN: list[tuple[str, dict[str, Any]]] = []


async def _spy(request: Any, handler: Any) -> Any:
    SEEN.append((request.name, dict(request.args)))
    return await handler(request)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> MultiServerMCPClient:
    path = Path(tmp_path_factory.mktemp("mcp")) / "server.py"
    path.write_text(SERVER)
    return MultiServerMCPClient({"rt": {"command": sys.executable, "args": [str(path)], "transport": "stdio"}},
                                tool_interceptors=[_spy])


def _tool_messages(out: dict[str, Any]) -> list[ToolMessage]:
    return [m for m in out["messages"] if isinstance(m, ToolMessage)]


CALLS = [
    ("pay", {"to": "bob", "amount": 5, "memo": None}, "paid 5 EUR to bob memo=None"),
    ("pay", {"to": "bob", "amount": 5000}, "maximum 1000"),
    ("pay", {"to": "Bob", "amount": 5}, "pattern"),
    ("pay", {"to": "bob", "amount": 5, "currency": "GBP"}, "one of 'EUR', 'USD'"),
    ("pay", {"to": "bob", "amount": 5, "memo": 7}, "anyOf"),
    ("ship", {"address": {"street": "x", "city": "paris"}}, "pattern"),
    ("ship", {"address": {"street": "x"}}, "required"),
    ("send_mail", {"to": ["a@x.example", 5], "body": "b"}, "to.1"),
    ("boom", {"why": "no"}, "boom failed: ToolException: Error executing tool boom: server refused: no"),
]


def test_calls_are_judged_by_the_schemas_fastmcp_emits(client: MultiServerMCPClient) -> None:
    async def main() -> list[tuple[str, str]]:
        async with client.session("rt") as session:
            tools = await load_mcp_tools(session, tool_interceptors=[_spy])
            model = ScriptedModel([[(name, args) for name, args, _ in CALLS], "done"])
            app = Agent(model, tools).compile(checkpointer=InMemorySaver())
            out = await asyncio.wait_for(app.ainvoke({"messages": [HumanMessage("go")]},
                                                     {"configurable": {"thread_id": "t"}}), 60)
            return [(m.status, str(m.content)) for m in _tool_messages(out)]

    SEEN.clear()
    got = asyncio.run(main())
    assert len(got) == len(CALLS)
    for (name, args, said), (status, content) in zip(CALLS, got):
        assert said in content and (status == "success") is (said == CALLS[0][2]), (name, args, status, content)
    assert "lc_" not in got[-1][1]
    # only the calls the schemas allow reached the server, as written
    assert SEEN == [("pay", {"to": "bob", "amount": 5, "memo": None}), ("boom", {"why": "no"})]


@pytest.mark.parametrize("how", ["invoke", "ainvoke"])
def test_coroutine_tools_run_from_invoke_and_ainvoke(client: MultiServerMCPClient, how: str) -> None:
    tools = asyncio.run(client.get_tools())
    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "done"]), tools).compile(
        checkpointer=InMemorySaver())
    inp, cfg = {"messages": [HumanMessage("pay bob 5")]}, {"configurable": {"thread_id": how}}
    out = app.invoke(inp, cfg) if how == "invoke" else asyncio.run(asyncio.wait_for(app.ainvoke(inp, cfg), 60))
    (message,) = _tool_messages(out)
    assert message.status == "success" and "paid 5 EUR to bob" in str(message.content), message.content


def test_a_failed_mcp_call_leaves_the_flow_able_to_send(client: MultiServerMCPClient) -> None:
    tools = {t.name: t for t in asyncio.run(client.get_tools())}
    # every MCP tool is given the adapter's runtime (an injected argument), kept to itself
    boom = privacy_sink(internal=["runtime"])(privacy_source(pure=True)(tools["boom"]))
    mail = privacy_sink(disclose={"body": "to"}, authority=["to"], internal=["runtime"])(
        privacy_source()(tools["send_mail"]))
    friend = "sam@friends.example"
    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), journal=journal)
    model = ScriptedModel([("boom", {"why": "no"}), ("send_mail", {"to": [friend], "body": "noon"}), "done"])
    app = create_agent(model, [boom, mail], checkpointer=InMemorySaver(),
                       middleware=[GuardMiddleware([flow.guard()], flow=flow, journal=journal)])
    out = asyncio.run(asyncio.wait_for(app.ainvoke({"messages": [HumanMessage(f"tell {friend}: noon")]},
                                                   {"configurable": {"thread_id": "t"}}), 60))
    failed, sent = _tool_messages(out)
    assert "server refused: no" in str(failed.content) and "lc_" not in str(failed.content), failed.content
    assert sent.status == "success" and "mailed" in str(sent.content), sent.content
    assert not [e for e in journal.entries("t") if e.kind == "unobserved"]
