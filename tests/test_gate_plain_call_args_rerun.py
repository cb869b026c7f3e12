"""A plain call given an object made anew in each run of its task is still one call when the task runs again.

What must hold (README, "Invoked with plain arguments"): a gated tool's plain call made in a graph task is keyed
by the task, its tool and arguments and its place, "so a task LangGraph runs again (a resume after an
`interrupt()` or a failure, a retry) is answered from the journal, as recorded"; and a call run through
`guard_tool` by a node of the app's own may be handed values for its injected arguments (README, "Guard an app
you already have").

A node that opens its connection per run (`bank = Bank()`) and hands it to the tool under an `InjectedToolArg`
gave the call an id from `json.dumps(..., default=repr)` of its arguments (`graphs/_gate.py` `_plain_id`): the
object's default repr holds its memory address, another in each run, so the task run again after the
confirmation's `interrupt()` proposed the payment under a new id and paid bob twice. With the id kept, the
call's fingerprint (`vfa/_guard_node.py` `_fingerprint`, of the same text) differed too, and the run again was
refused as an id "already used on this thread for another call".

Fixed: a plain call's id, the guard node's minted keys and a call's fingerprint read the text without the
memory addresses a default repr writes (vfa._jsontext.unaddressed); arguments whose keys cannot be sorted are
written in the order given, as a task run again gives them.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.tools import InjectedToolArg, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

import graphs
from vfa import EffectJournal


class Bank:
    """A connection to the bank, opened per run; no repr of its own (the default shows its address)."""

    opened: list[Bank] = []  # kept open: a closed one's address could be given to the next

    def __init__(self) -> None:
        Bank.opened.append(self)


class S(TypedDict, total=False):
    done: str


def test_a_resumed_task_pays_once_with_a_connection_opened_per_run() -> None:
    """Expected: the confirmation's resume runs the node again, and the payment is answered from the journal."""
    paid: list[tuple[str, int]] = []

    @tool
    def pay(to: str, amount: int, bank: Annotated[Any, InjectedToolArg]) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    _pays_once_across_a_resume(pay, paid, lambda: {"to": "bob", "amount": 5, "bank": Bank()})


def test_a_resumed_task_pays_once_with_keys_of_two_kinds() -> None:
    """Expected: arguments whose keys cannot be sorted (`{1: ..., "b": ...}`) key the call alike in each run too.

    `_plain_id` wrote them with `sort_keys=True`, which raises TypeError on keys of two kinds, and gave such a call
    a fresh random id ("a call of its own"): the task run again after its `interrupt()` paid bob a second time."""
    paid: list[tuple[str, int]] = []

    @tool
    def pay(to: str, amount: int, memo: dict) -> str:
        """Pay `amount` to `to`."""
        paid.append((to, amount))
        return f"paid {amount} to {to}"

    _pays_once_across_a_resume(pay, paid, lambda: {"to": "bob", "amount": 5, "memo": {1: "rent", "ref": 2}})


def _pays_once_across_a_resume(pay: Any, paid: list[tuple[str, int]], args: Any) -> None:
    """A node pays through the gated tool with `args()` (made anew in each run), then asks a person: resumed, the
    task runs again and its call is answered from the journal."""
    gate = graphs.ToolGate([], journal=EffectJournal())
    gpay = graphs.guard_tool(pay, gate=gate)

    def settle(state: S) -> dict[str, Any]:
        out = gpay.invoke(args())
        ok = interrupt("confirm the receipt?")
        return {"done": f"{out} ({ok})"}

    b = StateGraph(S)
    b.add_node("settle", settle)
    b.add_edge(START, "settle")
    b.add_edge("settle", END)
    app = graphs.guard_graph(b, gate=gate, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    assert "__interrupt__" in app.invoke({}, cfg)
    assert app.invoke(Command(resume="yes"), cfg)["done"] == "paid 5 to bob (yes)"
    assert paid == [("bob", 5)], f"bob was paid once per run of the node: {paid}"
