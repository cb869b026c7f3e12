"""An effect node run on the value behind a handle writes that value into the graph state in clear.

Scenario. A graph guarded by `guard_graph` with a privacy flow that asks (`on_violation="ask"`). The model
reads the user's profile through the gated `ToolNode`: the SSN is shown as a handle. It replies with the
handle, and the app's own effect node `mail_me` (`effect_nodes={"mail_me": (args_of, with_args)}`) mails
the reply and writes "Mailed you: <body>" into the conversation, as an app's node reports what it did. A
person approves the disclosure; the commit hands the node the SSN itself (`with_args`, as the effect gets
the value behind a handle), and the node's update lands in `messages` as it wrote it.

So the checkpoint, the `values` stream and the next model turn hold the SSN in clear: docs/privacy.md ("Logs") says
the graph's streams and checkpoints show handles only, and the model, which was only ever given a handle,
now reads the value (and can paraphrase or encode it, which value tracking misses). A `ToolNode` tool that
echoes its argument the same way has its result shown as a handle ("A result computed from a handle is
shown as a handle too"); an effect node's update is not read by the flow at all.

Must hold: the state an effect node run on handle values leaves holds no such value in clear (each written
as its handle, as a guard's words are), while the effect itself gets the value.

Fixed: with a flow, an effect node's own update is returned with each value a handle of the thread stands for
written as its handle (graphs/_retrofit.py, _withheld: message text, tool-call arguments, a Command's update,
records and lists).
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"
CFG = {"configurable": {"thread_id": "t"}}


class _State(MessagesState):
    body: str


def test_an_effect_nodes_update_holds_no_value_behind_a_handle() -> None:
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
        return {"messages": [AIMessage(f"Mailed you: {body}")]}

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
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), secret=b"effect-node-update")
    args_of = lambda state: {"to": USER, "body": state["messages"][-1].content}  # noqa: E731
    with_args = lambda state, args: {**state, "body": args["body"]}  # noqa: E731
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"], checkpointer=InMemorySaver(),
                             effect_nodes={"mail_me": (args_of, with_args)})
    asked = app.invoke({"messages": [HumanMessage("Mail me my SSN.")]}, CFG)
    assert asked.get("__interrupt__"), "control: the disclosure is asked about"
    out = app.invoke(Command(resume={"type": "approve"}), CFG)
    assert sent == [SSN], "control: the effect gets the value behind the handle"
    shown = [str(m.content) for m in out["messages"]]
    assert not any(SSN in text for text in shown), f"the SSN reached the conversation in clear: {shown}"
    assert SSN not in repr(app.get_state(CFG).values), "the SSN reached the checkpoint in clear"
