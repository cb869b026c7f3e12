"""Declaring one object's bound method never silently replaces what another object's tool declared.

A bound method keeps no attributes of its own: `privacy_sink(...)(outbox.send)` is written on the class's
function, which every instance shares. Declaring a dry-run outbox's `send` a sink that discloses to nobody
(`internal`) then replaced, without a word, the real outbox's declaration (`body` disclosed to `to`), or
declared the real outbox's undeclared tool so, and a mail carrying the user's SSN to eve went out
unjudged. A `StructuredTool` made of a bound method is declared on it too. What must hold: the real
outbox's tool is judged by its own declaration (or none), so the mail is denied, or declaring an object's
method is refused (`ConfigError`) when it is made.

Fixed: a tool made of one object's method carries its declarations itself (vfa._effects.declared_on), read
beside its class's function's (vfa._lc_tools._declaring); a bare bound method declared is a ConfigError.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from guards._privacy_decl import sink_of
from vfa import Agent, ConfigError, ToolSpec
from vfa.testing import ScriptedModel

USER = "me@home.example"
EVE = "eve@else.example"
SSN = "078-05-1120"


class Outbox:
    """An app's mail sender; a dry-run one keeps what it is given."""

    def __init__(self, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.sent: list[dict] = []

    def send(self, to: str, body: str) -> str:
        """Send a mail."""
        if not self.dry_run:
            self.sent.append({"to": to, "body": body})
        return "sent"


@privacy_source(private=["ssn"], kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Ann", "ssn": SSN}


def _tools(outbox: Outbox, drafts: Outbox, as_tool: bool) -> tuple[Any, Any]:
    if not as_tool:
        return outbox.send, drafts.send
    return (StructuredTool.from_function(outbox.send, name="send"),
            StructuredTool.from_function(drafts.send, name="draft"))


def _mail_ssn_to_eve(send: Any, outbox: Outbox) -> None:
    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if len(results) == 1:
            return AIMessage("", tool_calls=[{"name": "send", "id": "c2", "args": {"to": EVE, "body": f"ssn {SSN}"}}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"bound-method")
    app = Agent(ScriptedModel(rule=rule), [get_profile, send], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Say hello to {EVE}.")]}, {"configurable": {"thread_id": "t"}})
    last = [m for m in out["messages"] if isinstance(m, ToolMessage)][-1]
    assert outbox.sent == [] and last.artifact["vfa"]["outcome"] == "denied", f"the SSN reached eve: {outbox.sent}"


@pytest.mark.parametrize("as_tool", [False, True], ids=["method", "tool"])
def test_a_dry_run_objects_declaration_leaves_the_real_ones(as_tool: bool) -> None:
    outbox, drafts = Outbox(dry_run=False), Outbox(dry_run=True)
    send, draft = _tools(outbox, drafts, as_tool)
    try:
        send = privacy_sink(disclose={"body": "to"}, authority=["to"])(send)
        privacy_sink(internal=["to", "body"])(draft)
    except ConfigError:
        return  # refused where it was made
    assert sink_of(ToolSpec.of(send).meta).disclose == {"body": "to"}, ToolSpec.of(send).meta
    _mail_ssn_to_eve(send, outbox)


@pytest.mark.parametrize("as_tool", [False, True], ids=["method", "tool"])
def test_a_dry_run_objects_declaration_is_not_the_undeclared_real_ones(as_tool: bool) -> None:
    outbox, drafts = Outbox(dry_run=False), Outbox(dry_run=True)
    send, draft = _tools(outbox, drafts, as_tool)
    try:
        privacy_sink(internal=["to", "body"])(draft)
    except ConfigError:
        return  # refused where it was made
    assert sink_of(ToolSpec.of(send).meta) is None, ToolSpec.of(send).meta
    _mail_ssn_to_eve(send, outbox)


def test_tools_made_of_two_objects_methods_keep_their_own_declarations() -> None:
    real, dry = Outbox(dry_run=False), Outbox(dry_run=True)
    real_tool = privacy_sink(disclose={"body": "to"})(StructuredTool.from_function(real.send))
    dry_tool = privacy_sink(internal=["body", "to"])(StructuredTool.from_function(dry.send))
    assert sink_of(ToolSpec.of(real_tool).meta).disclose == {"body": "to"}
    assert sink_of(ToolSpec.of(dry_tool).meta).internal == frozenset({"body", "to"})
    with pytest.raises(ConfigError):
        privacy_sink(internal=["body"])(dry.send)
