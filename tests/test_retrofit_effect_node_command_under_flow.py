"""Under a privacy flow an effect node that returns a `Command` writes its update and takes its route.

README: "A node run on the values behind handles (an approved disclosure) may report them: its update is
written to the state with each such value as its handle (..., the states a `Send` hands on)", and a node
answered again from the journal "writes the update it wrote then ... so the graph goes on the way it went".
Without a flow a node returning `Command(update={"paid": True}, goto="receipt")` does both. With a flow
(`guard_graph(..., flow=flow)`), `ToolGate._settle` hands an effect node's Command (or list of them) to
`EffectNode._result` as the flow's tool message ("it would write more than its tool message"), which reads
it as a replayed commit and writes nothing: the payment is made, but `paid` is never set and the receipt
node never runs. Since 9cedae8 the same task answered again from the journal writes the Command it kept
(`_NODE_UPDATE`), so the first run and its replay of one task now leave different states.

Must hold: with a flow, as without one, the node's Command lands (its update withheld as the README says,
its goto followed) on the first run, and the task answered again writes the same; the node runs once.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command

import graphs
from _effect_node_flow import CFG, USER, allow_all, flow, run_and_replay
from _effect_node_flow import State as _State
from guards import PrivacyFlow, PrivacyPolicy

SECRET = b'node-command-flow'


def _flow() -> PrivacyFlow:
    return flow(SECRET)


@pytest.mark.parametrize("with_flow", [False, True], ids=["no-flow", "flow"])
def test_a_nodes_command_lands_under_a_flow(with_flow: bool) -> None:
    paid: list[int] = []

    def pay(state: _State) -> Any:
        paid.append(1)
        return Command(update={"paid": True}, goto="receipt")

    b = StateGraph(_State)
    b.add_node("pay", pay, destinations=("receipt",))
    b.add_node("receipt", lambda state: {"receipt": "sent"})
    b.add_edge(START, "pay")
    b.add_edge("receipt", END)
    flow = _flow() if with_flow else None
    app = graphs.guard_graph(b, [allow_all, *([flow.guard()] if flow else [])], flow=flow, checkpointer=InMemorySaver(),
                             effect_nodes={"pay": lambda state: {"to": USER}})
    out = app.invoke({"messages": [("user", "pay the rent")]}, CFG)
    assert paid == [1]
    assert out.get("paid") is True and out.get("receipt") == "sent", f"the node's Command was dropped: {out}"


def test_first_run_and_replay_of_one_task_agree_under_a_flow() -> None:
    paid: list[int] = []

    def pay(state: Any) -> Any:
        paid.append(1)
        return Command(update={"paid": True}, goto="receipt")

    first, again = run_and_replay(pay, SECRET)  # the task run again after a crash: answered from the journal
    assert paid == [1]
    assert first == again == Command(update={"paid": True}, goto="receipt"), (first, again)


def test_a_nodes_command_holds_no_value_behind_a_handle() -> None:
    """The Command that now lands is withheld as a record update is: the SSN the node was given is written as
    its handle (as in `test_retrofit_effect_node_update_withholds_handle_values.py`)."""
    import json

    from langchain_core.messages import AIMessage, HumanMessage
    from langchain_core.tools import tool
    from langgraph.prebuilt import ToolNode

    from guards import privacy_source
    from vfa.testing import ScriptedModel

    ssn = "078-05-1120"
    sent: list[str] = []

    @tool
    @privacy_source(private=["ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "ssn": ssn}

    def rule(messages: list[Any]) -> Any:
        if not any(m.type == "tool" for m in messages):
            return AIMessage("", tool_calls=[{"name": "get_profile", "args": {}, "id": "p1", "type": "tool_call"}])
        return json.loads(messages[-1].content)["ssn"] if messages[-1].type == "tool" else "done"

    model = ScriptedModel(rule=rule)

    class _Mail(MessagesState):
        body: str
        log: list

    def mail_me(state: Any) -> Any:
        body = state.get("body") or state["messages"][-1].content
        sent.append(body)
        return Command(update={"messages": [AIMessage(f"Mailed you: {body}")], "log": [body]}, goto=END)

    def route(state: Any) -> Any:
        last = state["messages"][-1]
        return "tools" if last.tool_calls else ("mail_me" if last.content.startswith("«") else END)

    b = StateGraph(_Mail)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([get_profile]))
    b.add_node("mail_me", mail_me, destinations=(END,))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route, ["tools", "mail_me", END])
    b.add_edge("tools", "agent")
    flow = PrivacyFlow(PrivacyPolicy.of(USER, on_violation="ask"), secret=b"node-command-flow")
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, read_only=["get_profile"], checkpointer=InMemorySaver(),
                             effect_nodes={"mail_me": (lambda state: {"to": USER, "body": state["messages"][-1].content},
                                                       lambda state, args: {**state, "body": args["body"]})})
    assert app.invoke({"messages": [HumanMessage("Mail me my SSN.")]}, CFG).get("__interrupt__")
    app.invoke(Command(resume={"type": "approve"}), CFG)
    values = app.get_state(CFG).values
    assert sent == [ssn], "control: the effect gets the value behind the handle"
    assert values.get("log") and "«ssn:" in repr(values["log"]), f"the node's Command was dropped: {values}"
    assert ssn not in repr(values), "the SSN reached the checkpoint in clear"
