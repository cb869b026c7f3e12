"""An effect node's `Command` whose update is given as (channel, value) pairs, or as a state object,
writes the values behind handles in clear.

What must hold (README, effect nodes: "A node run on the values behind handles (an approved disclosure)
may report them: its update is written to the state with each such value as its handle"): LangGraph takes a
`Command`'s update as a dict, as a list of (channel, value) pairs, or as a state object (a pydantic model,
a dataclass); whichever form the node writes, no value behind a handle reaches the checkpoint in clear.

Before: `graphs._retrofit._withheld` rebuilt a Command's update only when it was a dict; pairs and state
objects were handed on as they were, so the SSN the person approved mailing landed in the state in clear.

Fixed: pairs keep their channel names and a state object keeps its fields, each value behind a handle written
as its handle.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

import graphs
from graphs._retrofit import _withheld
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


@dataclasses.dataclass
class Logged:
    log: list


class _State(MessagesState):
    body: str
    log: Any


UPDATES: dict[str, Any] = {
    "dict": lambda body: Command(update={"log": [body]}),  # the control: withheld already
    "pairs": lambda body: Command(update=[("log", [body])]),
    "dataclass": lambda body: Command(update=Logged(log=[body])),
}


def _run(form: str) -> tuple[list[str], dict[str, Any]]:
    sent: list[str] = []

    @tool
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "ssn": SSN}

    def rule(messages: list[Any]) -> Any:
        if not any(m.type == "tool" for m in messages):
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "p1", "type": "tool_call"}])
        return json.loads(messages[-1].content)["ssn"] if messages[-1].type == "tool" else "done"

    model = ScriptedModel(rule=rule)

    def mail_me(state: Any) -> Any:
        body = state.get("body") or state["messages"][-1].content
        sent.append(body)
        return UPDATES[form](body)

    def route(state: Any) -> Any:
        last = state["messages"][-1]
        return "tools" if last.tool_calls else ("mail_me" if last.content.startswith("«") else END)

    b = StateGraph(_State)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([get_profile]))
    b.add_node("mail_me", mail_me)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route, ["tools", "mail_me", END])
    b.add_edge("tools", "agent")
    b.add_edge("mail_me", END)
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), secret=b"command-update-pairs")
    args_of = lambda state: {"to": USER, "body": state["messages"][-1].content}  # noqa: E731
    with_args = lambda state, args: {**state, "body": args["body"]}  # noqa: E731
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"], checkpointer=InMemorySaver(),
                             effect_nodes={"mail_me": (args_of, with_args)})
    assert app.invoke({"messages": [HumanMessage("Mail me my SSN.")]}, CFG).get("__interrupt__")
    app.invoke(Command(resume={"type": "approve"}), CFG)
    return sent, app.get_state(CFG).values


@pytest.mark.parametrize("form", list(UPDATES))
def test_a_commands_update_in_any_form_holds_no_value_behind_a_handle(form: str) -> None:
    sent, values = _run(form)
    assert sent == [SSN], "control: the effect gets the value behind the handle"
    assert SSN not in repr(values), f"the SSN reached the checkpoint in clear: {values.get('log')!r}"
    assert "«ssn:" in repr(values["log"]), values.get("log")


def test_pairs_keep_their_channels_and_shape() -> None:
    def hide(value: Any) -> Any:
        return value.replace(SSN, "«ssn:h»") if isinstance(value, str) else value

    out = _withheld(Command(update=[("log", [SSN]), ("body", SSN)]), hide)
    assert out.update == [("log", ["«ssn:h»"]), ("body", "«ssn:h»")]
    model = _withheld(Command(update=Logged(log=[SSN])), hide)
    assert isinstance(model.update, Logged) and model.update.log == ["«ssn:h»"]
