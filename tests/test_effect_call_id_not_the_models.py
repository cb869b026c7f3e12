"""An `@effect` function asking for its call's id (`InjectedToolCallId`) never gets the model's text instead.

An effect that must not run twice keys what it does by its call (an idempotency key: a
re-run after a crash finds its key and does nothing again). LangChain's way to ask for the call's id is
`Annotated[str, InjectedToolCallId]`; a LangChain `@tool` over an `@effect` is given the call's own id, but a
plain `@effect` (or plain function tool) read every parameter as the model's: the schema shown to the model
asked it to write `call` as an ordinary required argument, a call without it was denied ("call: Field
required"), and whatever the model wrote was handed to the effect as its call id. The model (or text injected
into its context) then chooses the effect's idempotency key: another call's key makes a real payment read as
done already, a new key each time makes a re-run after a crash pay again. The model's output is data,
never what the execution layer trusts.

What must hold: a tool whose parameter is marked as one the ToolNode injects (`InjectedToolCallId`,
`InjectedState`, `InjectedStore`, a bare `InjectedToolArg`, `ToolRuntime`) is either given the injected value
or refused when the agent is built (`ConfigError`, naming the parameter and the way to be given it); in no
case does the model write it.

Fixed: a plain function or @effect with an argument marked as injected is refused when the tool is described
(ConfigError naming the argument and @tool over @effect).
"""

from __future__ import annotations

from typing import Annotated

import pytest
from langchain_core.tools import InjectedToolArg, InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState, InjectedStore, ToolRuntime

from vfa import Agent, ConfigError, effect
from vfa.testing import ScriptedModel


def _outcome(tools, call):
    try:
        app = Agent(ScriptedModel([call, "done"]), tools).compile(checkpointer=InMemorySaver())
    except ConfigError as exc:
        return exc
    out = app.invoke({"messages": [("user", "pay bob")]}, {"configurable": {"thread_id": "t"}})
    return [m.content for m in out["messages"] if m.type == "tool"]


def test_an_effect_is_never_given_the_models_text_as_its_call_id():
    keys: list[str] = []

    @effect
    def pay(to: str, call: Annotated[str, InjectedToolCallId]) -> str:
        """Pay `to`, once per call."""
        keys.append(call)
        return f"paid {to}"

    got = _outcome([pay], ("pay", {"to": "bob", "call": "call_of_an_earlier_payment"}))
    assert "call_of_an_earlier_payment" not in keys, got
    if isinstance(got, ConfigError):
        assert "'call'" in str(got) and "@tool" in str(got), got
    else:  # given the call's own id
        assert keys == ["call_0_0"], (keys, got)


def test_an_effect_asking_for_its_call_id_is_not_denied_for_want_of_the_models_writing_it():
    @effect
    def pay(to: str, call: Annotated[str, InjectedToolCallId]) -> str:
        """Pay `to`, once per call."""
        return f"paid {to} as {call}"

    got = _outcome([pay], ("pay", {"to": "bob"}))
    assert isinstance(got, ConfigError) or got == ["paid bob as call_0_0"], got


@pytest.mark.parametrize("hint", [Annotated[dict, InjectedState], Annotated[object, InjectedStore()],
                                  Annotated[str, InjectedToolArg], ToolRuntime],
                         ids=["state", "store", "bare", "runtime"])
def test_a_plain_tool_never_takes_the_models_text_for_what_a_tool_node_injects(hint):
    seen: list[object] = []

    def note(text: str, given) -> str:
        """Keep a note."""
        seen.append(given)
        return "noted"

    note.__annotations__["given"] = hint  # (this module's annotations are strings: `hint` is a local)

    got = _outcome([effect(note)], ("note", {"text": "hi", "given": "the model's"}))
    assert "the model's" not in seen, got
    if isinstance(got, ConfigError):
        assert "'given'" in str(got), got


def test_a_langchain_tool_over_an_effect_is_still_given_its_call_id():
    @tool
    @effect
    def pay(to: str, call: Annotated[str, InjectedToolCallId]) -> str:
        """Pay `to`, once per call."""
        return f"paid {to} as {call}"

    assert _outcome([pay], ("pay", {"to": "bob"})) == ["paid bob as call_0_0"]
