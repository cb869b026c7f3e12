"""An ordinary LangGraph ReAct graph (StateGraph + ToolNode + tools_condition), then the same graph guarded.

Run: python examples/react_graph.py   (offline: a scripted model plays the LLM)
"""

from __future__ import annotations

import asyncio

from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from vfa.testing import ScriptedModel

# -- the app as its author wrote it ----------------------------------------------------------------

ACCOUNT = {"balance": 120}


@tool
def transfer(to: str, amount: int) -> str:
    """Send `amount` to `to`."""
    ACCOUNT["balance"] -= amount
    return f"sent {amount} to {to}; balance {ACCOUNT['balance']}"


# The model is talked into two transfers in one turn; the second overdraws the account.
model = ScriptedModel([[("transfer", {"to": "bob", "amount": 20}), ("transfer", {"to": "mallory", "amount": 500})],
                       "done"])


def agent(state: MessagesState):
    return {"messages": [model.invoke(state["messages"])]}


builder = StateGraph(MessagesState)
builder.add_node("agent", agent)
builder.add_node("tools", ToolNode([transfer]))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition)
builder.add_edge("tools", "agent")
app = builder.compile(checkpointer=InMemorySaver())

# -- the same app, guarded: the five lines below are all that is added -----------------------------

from graphs import draw_mermaid, guard_graph  # noqa: E402  (added line 1)
from vfa import ALLOW, Deny, guard  # noqa: E402  (added line 2)

budget = guard(lambda p, c: ALLOW if p.args["amount"] <= ACCOUNT["balance"] else Deny(  # (added line 3)
    reason=f"amount {p.args['amount']} exceeds balance {ACCOUNT['balance']}"), name="budget")  # (added line 4)
guarded = guard_graph(app, [budget])  # (added line 5)


def show(title: str, out: dict) -> None:
    print(f"--- {title}")
    for m in out["messages"][1:]:
        print(f"  {type(m).__name__:12} {m.content or m.tool_calls}")


if __name__ == "__main__":
    show("unguarded: both transfers run, the account is overdrawn",
         app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "1"}}))
    ACCOUNT["balance"] = 120
    show("guarded: bob is paid, mallory's transfer is denied and never runs",
         guarded.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "2"}}))
    ACCOUNT["balance"] = 120

    async def main() -> None:  # async and streaming keep working
        async for update in guarded.astream({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "3"}},
                                            stream_mode="updates"):
            print("  astream:", {node: [m.content for m in u["messages"]] for node, u in update.items()})

    asyncio.run(main())
    print(draw_mermaid(guarded))
