"""An effect node answered again from the journal under a privacy flow writes the update it wrote then.

README: "A node that ran, answered again from the journal (a crash before LangGraph saved its writes),
writes the update it wrote then (kept whole in the journal, as a tool's `Command` is), so the graph goes on
the way it went." Without a flow it does (`test_retrofit_effect_node_update_replayed.py`). With a flow
(`guard_graph(..., flow=flow)`) the node's update is journaled only as the record the flow labels, and
`EffectNode._result` returns None for a replayed commit: the task that runs again after the lost
checkpoint writes nothing, so `paid` is missing, the route on it ends the run instead of sending the
receipt, and an agent asked again would propose the payment again under a new task.

Must hold: with a flow too, the replayed task writes the update the node wrote (each value a handle of
the thread stands for written as its handle, as when it ran), and the node is not run twice.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

import graphs
from _effect_node_flow import CFG, USER, allow_all, flow, run_and_replay
from _effect_node_flow import State as _State
from guards import PrivacyFlow

SECRET = b'effect-node-replay'


def _flow() -> PrivacyFlow:
    return flow(SECRET)


def test_the_same_task_again_writes_its_update_under_a_flow() -> None:
    paid: list[int] = []

    def pay(state: dict[str, Any]) -> dict[str, Any]:
        paid.append(1)
        return {"paid": True, "messages": [AIMessage("paid the rent")]}

    first, again = run_and_replay(pay, SECRET)  # the task run again after a crash: answered from the journal
    assert paid == [1]
    assert again == first, f"the replayed task wrote {again!r}, not the update the node wrote ({first!r})"


def test_a_lost_checkpoint_resumes_along_the_route_the_node_took() -> None:
    paid: list[int] = []

    def pay(state: _State) -> dict[str, Any]:
        paid.append(1)
        return {"paid": True}

    b = StateGraph(_State)
    b.add_node("pay", pay)
    b.add_node("receipt", lambda state: {"receipt": "sent"})
    b.add_edge(START, "pay")
    b.add_conditional_edges("pay", lambda state: "receipt" if state.get("paid") else END, ["receipt", END])
    b.add_edge("receipt", END)
    flow = _flow()
    saver = InMemorySaver()
    app = graphs.guard_graph(b, [allow_all, flow.guard()], flow=flow, checkpointer=saver,
                             effect_nodes={"pay": lambda state: {"to": USER}})
    assert app.invoke({"messages": [("user", "pay the rent")]}, CFG)["receipt"] == "sent"
    # the crash: all LangGraph saved once the payment committed is lost; the thread resumes before `pay`
    before = next(s for s in app.get_state_history(CFG) if s.next == ("pay",))
    kept = before.config["configurable"]["checkpoint_id"]
    for checkpoint_id in [c for c in saver.storage["t"][""] if c > kept]:
        del saver.storage["t"][""][checkpoint_id]
    for key in [k for k in saver.writes if k[2] >= kept]:
        del saver.writes[key]
    assert app.get_state(CFG).next == ("pay",)
    out = app.invoke(None, CFG)
    assert paid == [1], "the payment ran twice"
    assert out.get("paid") is True and out.get("receipt") == "sent", f"the resumed run went another way: {out}"
