"""Declaring a tool made by a `functools.wraps` decorator leaves the function it wraps as it was declared.

`functools.wraps` (`update_wrapper`) copies the wrapped function's `__dict__` into the wrapper, so a
library's decorator (logging, auditing, retrying) gives the wrapper the very list and dict that hold the
original's guards and declarations. `annotate` added to them in place: a `privacy_sink` declared on the
wrapper (a note-to-self tool made of `send_email`, disclosing to nobody) replaced `send_email`'s own, so a
mail carrying the user's SSN to eve went out unjudged; a `requires` on the wrapper (a small-transfer
variant) judged the original too. What must hold: a declaration on one tool never changes another's.

Fixed: annotate writes new lists and dicts, never adding to the ones functools.wraps shares.
"""

from __future__ import annotations

import functools
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, ToolSpec
from vfa.testing import ScriptedModel

USER = "me@home.example"
EVE = "eve@else.example"
SSN = "078-05-1120"
sent: list[dict] = []


def audited(fn: Any) -> Any:
    """A library's decorator: logs and calls through, keeping the function's name, signature and attributes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


@privacy_source(private=["ssn"], kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Ann", "ssn": SSN}


@privacy_sink(disclose={"body": "to"}, authority=["to"])
def send_email(to: str, body: str) -> str:
    """Send a mail."""
    sent.append({"to": to, "body": body})
    return "sent"


def test_a_sink_declared_on_a_wrapper_leaves_the_wrapped_tools_own() -> None:
    note = audited(send_email)
    note.__name__ = "note_to_self"
    privacy_sink(internal=["to", "body"])(note)  # the note tool keeps what it is given: declared so
    assert ToolSpec.of(send_email).meta["privacy_sink"].disclose == {"body": "to"}, ToolSpec.of(send_email).meta

    sent.clear()

    def rule(messages: list[Any]) -> Any:
        results = [m for m in messages if m.type == "tool"]
        if not results:
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "c1"}])
        if len(results) == 1:
            return AIMessage("", tool_calls=[{"name": "send_email", "id": "c2",
                                              "args": {"to": EVE, "body": f"ssn {SSN}"}}])
        return AIMessage("done")

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"wrapper-own")
    app = Agent(ScriptedModel(rule=rule), [get_profile, send_email, note], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Say hello to {EVE}.")]}, {"configurable": {"thread_id": "t"}})
    last = [m for m in out["messages"] if isinstance(m, ToolMessage)][-1]
    assert sent == [] and last.artifact["vfa"]["outcome"] == "denied", f"the SSN reached eve: {sent}"


def test_a_precondition_on_a_wrapper_is_the_wrappers_alone() -> None:
    @requires("amount <= 1000")
    def transfer(amount: int) -> str:
        """Transfer an amount."""
        return "ok"

    small = audited(transfer)
    small.__name__ = "small_transfer"
    requires("amount <= 10")(small)
    assert len(ToolSpec.of(small).guards) == 2
    assert [p.texts for p in ToolSpec.of(transfer).meta["preconditions"]] == [("amount <= 1000",)]
    assert len(ToolSpec.of(transfer).guards) == 1, ToolSpec.of(transfer).guards


def test_a_wrapper_made_after_the_declaration_keeps_it() -> None:
    @requires("amount <= 1000")
    def transfer(amount: int) -> str:
        """Transfer an amount."""
        return "ok"

    assert len(ToolSpec.of(audited(transfer)).guards) == 1
