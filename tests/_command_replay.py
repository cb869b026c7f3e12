"""The turn the Command-replay tests share: a tool returning a `Command`, then a `pay` a guard asks a person about."""

from __future__ import annotations

from typing import Any

from _tool_loop import model_node, tool_loop
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

import graphs
from vfa import ALLOW, Escalate, guard
from vfa.testing import ScriptedModel


@tool
def pay(to: str, amount: int) -> str:
    """Pay `amount` to `to`."""
    return f"paid {amount} to {to}"


@guard
def confirm(p, c):
    return Escalate(question=f"pay {p.args['amount']}?") if p.tool == "pay" else ALLOW


def approved_after_replay(first: Any, state: Any, start: dict[str, Any], **options: Any) -> dict[str, Any]:
    """One ToolNode turn calls `first` (no arguments, id "call_0_0") and then `pay`, which `confirm` asks
    about; the run starts from `start` (with the user's "go"), the person approves, and the resumed run's
    output is returned. `options` go to `guard_graph`."""
    model = ScriptedModel([[(first.name, {}), ("pay", {"to": "bob", "amount": 5})], "ok"])
    b = tool_loop(model_node(model), ToolNode([first, pay]), state)
    app = graphs.guard_graph(b, [confirm], checkpointer=InMemorySaver(), **options)
    cfg = {"configurable": {"thread_id": "t"}}
    assert "__interrupt__" in app.invoke({"messages": [("user", "go")], **start}, cfg)
    return app.invoke(Command(resume={"type": "approve"}), cfg)
