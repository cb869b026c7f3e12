"""A tool schema's validator that rewrites the call's arguments in place makes the tool act on values no guard judged.

Attack surface. A `model_validator(mode="before")` is handed the very dict it validates, and many rewrite it in
place (`data["amount"] = data["amount"] * 100`: dollars read as cents). LangChain validates a call once, so
such a schema works without vfa. The guard node validates the model's arguments (`ToolSpec.validate`) on the
tool call's own dict, which the validator rewrites; a LangChain tool (it validates its input itself,
`takes_written`) is then handed that rewritten dict and validates it a second time. Here the model writes
`amount=5`: the guard judges 500 cents (allowed, under 1,000) and the tool pays 50,000 cents, a hundred times
what was judged. The model's message and the journal's "proposed" record show 500, not the 5 it wrote.

Must hold: the tool is given what the guards judged, the model's call is left as it wrote it, and the journal
records it as written.

Fixed: ToolSpec.validate and _fails_only_in validate a copy of the call's dicts and lists (_tools._fresh), so
a validator rewriting its input in place leaves the call as the model wrote it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel, model_validator

from vfa import ALLOW, Agent, Deny, EffectJournal, guard
from vfa.testing import ScriptedModel


class PayArgs(BaseModel):
    to: str
    amount: int

    @model_validator(mode="before")
    @classmethod
    def dollars_to_cents(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("amount"), int):
            data["amount"] = data["amount"] * 100  # in place, as many validators write it
        return data


def test_a_validator_rewriting_the_call_in_place_pays_what_was_judged() -> None:
    paid: list[int] = []
    judged: list[int] = []

    def pay(to: str, amount: int) -> str:
        paid.append(amount)
        return f"paid {amount} cents to {to}"

    tool = StructuredTool.from_function(pay, name="pay", description="Pay dollars.", args_schema=PayArgs)

    @guard
    def at_most_ten_dollars(p, c):
        judged.append(p.args["amount"])
        return ALLOW if p.args["amount"] <= 1000 else Deny(reason="over 1,000 cents")

    journal = EffectJournal(":memory:")
    model = ScriptedModel([AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "bob", "amount": 5},
                                                      "id": "c1", "type": "tool_call"}]), "ok"])
    app = Agent(model, [tool], [at_most_ten_dollars], journal=journal).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay bob 5 dollars")]}, {"configurable": {"thread_id": "t"}})

    assert judged == [500]
    assert paid == judged, f"the guard judged {judged} cents, the tool paid {paid}"
    assert [m.status for m in out["messages"] if isinstance(m, ToolMessage)] == ["success"]
    assert out["messages"][1].tool_calls[0]["args"] == {"to": "bob", "amount": 5}  # the model's call as it wrote it
    proposed = [e.data["args"] for e in journal.entries("t") if e.kind == "proposed"]
    assert proposed == [{"to": "bob", "amount": 5}]


def test_a_retrofitted_tool_node_pays_what_was_judged_too() -> None:
    from _tool_loop import model_node, tool_loop
    from langgraph.prebuilt import ToolNode

    from graphs import guard_graph

    paid: list[int] = []
    judged: list[int] = []

    def pay(to: str, amount: int) -> str:
        paid.append(amount)
        return "paid"

    tool = StructuredTool.from_function(pay, name="pay", description="Pay dollars.", args_schema=PayArgs)

    @guard
    def at_most_ten_dollars(p, c):
        judged.append(p.args["amount"])
        return ALLOW if p.args["amount"] <= 1000 else Deny(reason="over 1,000 cents")

    model = ScriptedModel([AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "bob", "amount": 5},
                                                      "id": "c1", "type": "tool_call"}]), "ok"])
    graph = tool_loop(model_node(model), ToolNode([tool])).compile(checkpointer=InMemorySaver())
    app = guard_graph(graph, [at_most_ten_dollars])
    out = app.invoke({"messages": [("user", "pay bob 5 dollars")]}, {"configurable": {"thread_id": "t"}})
    assert judged == [500] and paid == judged, f"the guard judged {judged} cents, the tool paid {paid}"
    assert out["messages"][1].tool_calls[0]["args"] == {"to": "bob", "amount": 5}
