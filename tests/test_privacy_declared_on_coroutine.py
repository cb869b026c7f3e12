"""A declaration on the coroutine of a LangChain tool that has a function too is dropped unsaid.

Fault. `_from_langchain_tool` (vfa/_lc_tools.py) reads a tool's declarations (`privacy_source`, `privacy_sink`,
`@requires`'s guards) from `tool.func or tool.coroutine`: for a `StructuredTool.from_function(func=f,
coroutine=af)` whose async function carries the declaration (`af` is the one an async run awaits, and the
one an MCP-style tool is made of), the spec reads `f`'s empty metadata. The profile's declared-private SSN
is then an undeclared, public output: shown to the model in clear and mailed to someone who may not read
it, allowed. Declared on `f` instead, the SSN is a handle and the mail is denied.

What must hold: a declaration on either function a tool runs is the tool's (judged as if declared on the
tool, `privacy_sink(tool)`); two that differ are a `ConfigError` when the tool is read, never one of them
silently dropped.

Fixed: ToolSpec.of reads a LangChain tool's declarations from its function and its coroutine alike
(vfa._lc_tools._declaring); two that declare one thing differently are a ConfigError.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, ConfigError, ToolSpec
from vfa.testing import ScriptedModel

USER = "me@home.example"
BOB = "bob@friend.example"
SSN = "078-05-1120"
# the mail tool is a read tool to the Agent (no `vfa.effect`): its public output is warned of, and beside the point
pytestmark = pytest.mark.filterwarnings("ignore:privacy source of read tool")
MAIL = {"type": "object", "properties": {"to": {"type": "string"}, "body": {"type": "string"}},
        "required": ["to", "body"]}


def _profile(declared_on: str) -> Any:
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Ann", "ssn": SSN}

    async def aget_profile() -> dict:
        """The user's profile."""
        return {"name": "Ann", "ssn": SSN}

    target = aget_profile if declared_on == "coroutine" else get_profile
    privacy_sink()(privacy_source(private=["ssn"], kind="profile")(target))
    return StructuredTool.from_function(func=get_profile, coroutine=aget_profile, name="get_profile")


def _mail(sent: list[dict]) -> Any:
    async def call(**kw: Any) -> str:
        sent.append(kw)
        return "sent"

    tool = StructuredTool(name="send", description="Send a mail.", args_schema=MAIL, coroutine=call)
    return privacy_sink(disclose={"body": "to"}, authority=["to"])(privacy_source()(tool))


def _run(declared_on: str) -> tuple[str, str, list[dict]]:
    sent: list[dict] = []

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if len(results) == 1:  # whatever it was shown, the model mails the SSN to bob
            return AIMessage("", tool_calls=[{"name": "send", "id": "c2",
                                              "args": {"to": BOB, "body": f"ssn {SSN}"}}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"decl-coroutine")
    app = Agent(ScriptedModel(rule=rule), [_profile(declared_on), _mail(sent)], guards=[flow.guard()],
                flow=flow).compile()
    out = asyncio.run(app.ainvoke({"messages": [HumanMessage(f"Say hello to {BOB}.")]},
                                  {"configurable": {"thread_id": "t"}}))
    results = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    shown, last = results[0], results[-1]
    return json.loads(shown.content)["ssn"], last.artifact["vfa"]["outcome"], sent


@pytest.mark.parametrize("declared_on", ["func", "coroutine"])
def test_a_source_declared_on_either_function_is_the_tools(declared_on: str) -> None:
    ssn_shown, outcome, sent = _run(declared_on)
    assert ssn_shown.startswith("«ssn:"), f"the model was shown the declared-private SSN as {ssn_shown!r}"
    assert sent == [] and outcome == "denied", f"the SSN reached bob: {sent} ({outcome})"


def test_a_guard_declared_on_the_coroutine_is_the_tools() -> None:
    def pay(amount: int) -> str:
        """Pay."""
        return "paid"

    async def apay(amount: int) -> str:
        """Pay."""
        return "paid"

    requires("amount <= 100")(apay)
    spec = ToolSpec.of(StructuredTool.from_function(func=pay, coroutine=apay, name="pay"))
    assert spec.guards, "the coroutine's precondition `amount <= 100` is not among the tool's guards"


def test_two_functions_declaring_differently_are_refused() -> None:
    def get(x: str) -> dict:
        """Get."""
        return {}

    async def aget(x: str) -> dict:
        """Get."""
        return {}

    privacy_source(private=["ssn"], kind="profile")(get)
    privacy_source(private=["iban"], kind="account")(aget)
    with pytest.raises(ConfigError, match="'get'.*its function and its coroutine declare"):
        ToolSpec.of(StructuredTool.from_function(func=get, coroutine=aget, name="get"))


def test_a_refusal_names_the_two_places_that_declare_differently() -> None:
    class Records:
        @privacy_source(private=["ssn"], kind="profile")
        def get(self, x: str) -> dict:
            """Get."""
            return {}

    tool = StructuredTool.from_function(func=Records().get, name="get")
    privacy_source(private=["iban"], kind="account")(tool)
    with pytest.raises(ConfigError, match="its function and the tool itself declare"):
        ToolSpec.of(tool)


def test_control_one_declaration_on_the_tool_reads_alike() -> None:
    def get(x: str) -> dict:
        """Get."""
        return {}

    async def aget(x: str) -> dict:
        """Get."""
        return {}

    tool = privacy_source(private=["ssn"], kind="profile")(
        StructuredTool.from_function(func=get, coroutine=aget, name="get"))
    assert ToolSpec.of(tool).meta["privacy_source"].private == frozenset({"ssn"})
