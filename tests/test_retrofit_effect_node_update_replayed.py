"""An effect node answered again from the journal writes the state update it wrote when it ran.

Red team 84 suspected it: after a crash between the journal's commit of an effect node and LangGraph's
save of the node's writes, the task runs again; the gate answers it from the journal (the effect is not
run twice), but `EffectNode` returned no update, so a graph routing on the update (`paid`) would take
another way than it did, and could propose the payment again under a new task.
Fixed: an effect node's update is kept whole in the journal, as a tool's `Command` is, and a node
answered again from the journal returns it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableLambda

from graphs import ToolGate
from graphs._retrofit import EffectNode
from vfa import ALLOW, guard


@guard
def allow_all(p, c):
    return ALLOW


def _node(paid: list[int]) -> EffectNode:
    def pay(state: dict[str, Any]) -> dict[str, Any]:
        paid.append(1)
        return {"paid": True, "messages": [AIMessage("paid the rent")]}

    return EffectNode("pay", RunnableLambda(pay), ToolGate([allow_all]))


CFG = {"metadata": {"langgraph_checkpoint_ns": "pay:task-1"}, "configurable": {"thread_id": "t"}}


def test_the_same_task_again_writes_the_update_it_wrote_and_does_not_pay_twice() -> None:
    paid: list[int] = []
    node = _node(paid)
    first = node.invoke({"messages": []}, CFG)
    again = node.invoke({"messages": []}, CFG)  # the task run again after a crash: answered from the journal
    assert paid == [1]
    assert again == first and again["paid"] is True and again["messages"][0].content == "paid the rent"


def test_the_same_task_again_under_ainvoke_too() -> None:
    paid: list[int] = []
    node = _node(paid)
    first = asyncio.run(node.ainvoke({"messages": []}, CFG))
    again = asyncio.run(node.ainvoke({"messages": []}, CFG))
    assert paid == [1] and again == first
