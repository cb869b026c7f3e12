"""A guarded subgraph compiled with `checkpointer=False` is refused at set-up, or keeps exactly-once and approvals.

What must hold (docs/kernel.md, "Exactly-once effects": "When LangGraph replays a node after an interrupt or a crash, a
committed effect returns its recorded result"; "People in the loop": resume with `Command(resume={"type":
"approve"})`; the brief: what vfa cannot support is refused at set-up, never silently broken).

Found: a subgraph compiled with `checkpointer=False` keeps no checkpoint of its own, so when the parent resumes
it (after an `interrupt()` in it, or a crash) it starts again from its first node, and every task in it gets a
new task id. vfa keys an effect node's call by its task id, and a question by the task it was asked in:
- an effect node followed, in the subgraph, by a node asking for a confirmation paid twice: the resume ran the
  subgraph again, the effect node's task had a new id, so its call was a new one, verified and committed again;
- a guard's question about a ToolNode call in such a subgraph, approved with the README's bare answer, was taken
  for "an answer sent before this question was asked" and the call was rejected (nothing paid, the person's
  approval turned into a refusal), though plain LangGraph hands that answer to the subgraph's `interrupt()`.
`guard_graph` walked into the subgraph and gated it without a word.

Fixed: guard_graph refuses a subgraph compiled with checkpointer=False that holds gated tools or effect nodes
(ConfigError: use checkpointer=None or True).
"""

from __future__ import annotations

from typing import Any

from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

import graphs
from vfa import ALLOW, ConfigError, Escalate, guard
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class S(TypedDict, total=False):
    amount: int
    done: bool
    ok: str


def _in_app(inner: Any, state: Any = S) -> StateGraph:
    b = StateGraph(state)
    b.add_node("team", inner)
    b.add_edge(START, "team")
    b.add_edge("team", END)
    return b


def _guarded_or_refused(app: StateGraph, gate: graphs.ToolGate) -> Any:
    try:
        return graphs.guard_graph(app, gate=gate, checkpointer=InMemorySaver())
    except ConfigError as exc:
        assert "checkpointer" in str(exc)
        return None


def test_effect_node_in_a_subgraph_without_checkpoints_pays_once_across_a_resume() -> None:
    paid: list[int] = []

    def pay(state: S) -> dict[str, Any]:
        paid.append(state["amount"])
        return {"done": True}

    def confirm(state: S) -> dict[str, Any]:
        return {"ok": interrupt("receipt?")}

    sub = StateGraph(S)
    sub.add_node("pay", pay)
    sub.add_node("confirm", confirm)
    sub.add_edge(START, "pay")
    sub.add_edge("pay", "confirm")
    sub.add_edge("confirm", END)
    gate = graphs.ToolGate([])
    inner = graphs.guard_graph(sub, gate=gate, effect_nodes={"pay": lambda s: {"amount": s["amount"]}},
                               checkpointer=False)
    app = _guarded_or_refused(_in_app(inner), gate)
    if app is None:
        return
    app.invoke({"amount": 50}, CFG)
    assert app.invoke(Command(resume="yes"), CFG)["ok"] == "yes"
    assert paid == [50], f"the effect node ran again when the parent resumed its subgraph: {paid}"


def test_question_in_a_subgraph_without_checkpoints_takes_the_approval() -> None:
    paid: list[int] = []

    @tool
    def pay(to: str, amount: int) -> str:
        """Pay `amount` to `to`."""
        paid.append(amount)
        return f"paid {amount} to {to}"

    @guard
    def ask_over_100(p: Any, c: Any) -> Any:
        return Escalate(question="pay over 100?") if p.args.get("amount", 0) > 100 else ALLOW

    call = AIMessage("", tool_calls=[{"name": "pay", "args": {"to": "bob", "amount": 500}, "id": "c1"}])
    model = ScriptedModel(rule=lambda msgs: call if msgs[-1].type == "human" else "done")
    inner = tool_loop(model_node(model), ToolNode([pay])).compile(checkpointer=False)
    app = _guarded_or_refused(_in_app(inner, MessagesState), graphs.ToolGate([ask_over_100]))
    if app is None:
        return
    assert app.invoke({"messages": [HumanMessage("pay bob", id="h1")]}, CFG)["__interrupt__"]
    out = app.invoke(Command(resume={"type": "approve"}), CFG)
    assert paid == [500], f"the person approved, and the call was {out['messages'][-2].content!r}"
