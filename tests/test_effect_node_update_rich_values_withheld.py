"""An effect node run on the value behind a handle writes that value into the graph state in
clear when its update holds it in a set, a frozenset, a NamedTuple, a dataclass or a pydantic model.

As in `test_retrofit_effect_node_update_withholds_handle_values.py`: a person approves mailing the SSN the
model holds as a handle to the user; the app's effect node `mail_me` is given the SSN itself and records
what it sent in its update (`{"log": ...}`). docs/existing-apps.md: "A node run on the values behind handles (an approved
disclosure) may report them: its update is written to the state with each such value as its handle", so
the checkpoint, the streams and the next model turn show handles only. That holds for a list or a tuple;
but `_withheld` (graphs/_retrofit.py) hands every other object on as it is, so a state field typed
`set[str]`, a NamedTuple, a dataclass or a pydantic model (LangGraph's usual state types) keeps the SSN
in clear in the checkpoint. (A record keyed by the value, `{ssn: "sent"}`, keeps it too: not fixed here,
since a key written over would rename the channels and fields the flow reads as the update's keys.)

What must hold: whatever container the update holds it in, no value behind a handle reaches the state in
clear, and the container keeps its type.

Fixed: graphs/_retrofit._withheld rebuilds sets, frozensets, NamedTuples (_make), pydantic models (model_copy)
and dataclasses with each value behind a handle as its handle, each of its type. A dict keyed by such a value
still leaks it (the update's own keys cannot be told from record keys).

Later: deques and subclasses of lists and sets, a message's `additional_kwargs` (a tool message's artifact),
the states a Command's `Send`s hand on, and the keys of records below the update's own (a record keyed by
the value) are withheld too.
"""

from __future__ import annotations

import collections
import dataclasses
import json
from typing import Any, NamedTuple

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command
from pydantic import BaseModel

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


class Sent(NamedTuple):
    to: str
    body: str


@dataclasses.dataclass(frozen=True)
class SentRecord:
    to: str
    body: str


class SentModel(BaseModel):
    to: str
    body: str


class Sends(list):
    """An app's own list type."""


LOGS: dict[str, Any] = {
    "list": lambda body: [body],  # the controls: withheld already
    "tuple": lambda body: (USER, body),
    "set": lambda body: {body},
    "frozenset": lambda body: frozenset({body}),
    "namedtuple": lambda body: Sent(USER, body),
    "dataclass": lambda body: SentRecord(USER, body),
    "pydantic": lambda body: SentModel(to=USER, body=body),
    "deque": lambda body: collections.deque([body], maxlen=5),
    "list subclass": lambda body: Sends([body]),
    "keyed by it": lambda body: {body: "sent"},
    "message kwargs": lambda body: AIMessage("sent", additional_kwargs={"function_call": {"arguments": body}}),
}


class _State(MessagesState):
    body: str
    log: Any


def _run(kind: str) -> tuple[list[str], Any, Any]:
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
        return {"messages": [AIMessage("Mailed you.")], "log": LOGS[kind](body)}

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
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), secret=b"node-update-rich")
    args_of = lambda state: {"to": USER, "body": state["messages"][-1].content}  # noqa: E731
    with_args = lambda state, args: {**state, "body": args["body"]}  # noqa: E731
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"], checkpointer=InMemorySaver(),
                             effect_nodes={"mail_me": (args_of, with_args)})
    assert app.invoke({"messages": [HumanMessage("Mail me my SSN.")]}, CFG).get("__interrupt__")
    app.invoke(Command(resume={"type": "approve"}), CFG)
    values = app.get_state(CFG).values
    return sent, values["log"], values


@pytest.mark.parametrize("kind", list(LOGS))
def test_an_effect_nodes_update_holds_no_value_behind_a_handle_in_any_container(kind: str) -> None:
    sent, log, values = _run(kind)
    assert sent == [SSN], "control: the effect gets the value behind the handle"
    assert SSN not in repr(values), f"the SSN reached the checkpoint in clear: {log!r}"
    assert "«ssn:" in repr(log), log
    # (the checkpointer's serialiser keeps no tuple, list subclass or deque's maxlen, with vfa or without)
    assert type(log) is type(LOGS[kind]("x")) or kind in ("tuple", "list subclass"), type(log)


def test_the_states_a_commands_sends_hand_on_are_withheld() -> None:
    from langgraph.types import Send

    from graphs._retrofit import _withheld

    def hide(value: Any) -> Any:
        return value.replace(SSN, "«ssn:h»") if isinstance(value, str) else value

    out = _withheld(Command(update={"log": [SSN]}, goto=[Send("mail", {"body": SSN}), "end"]), hide)
    assert SSN not in repr(out) and out.goto[1] == "end" and out.goto[0].node == "mail"
    one = _withheld(Command(goto=Send("mail", {SSN: 1})), hide)
    assert SSN not in repr(one) and isinstance(one.goto, Send)
    assert _withheld({SSN: {SSN: 1}}, hide) == {SSN: {"«ssn:h»": 1}}  # the update's own keys are its channels
