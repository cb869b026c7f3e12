"""A denied effect node lets the graph go on along its edges; the README's summary dropped it.

The README's "Guard an app you already have" says of `guard_graph(..., effect_nodes={"pay": args_of})`
only "each run is one proposal, verified and committed once". docs/existing-apps.md ("Effect nodes") is
the reference, and says what a production user must know: a denied (or rejected) run writes nothing and
the graph goes on along its edges, so a next node that assumes the effect happened (a receipt) runs anyway,
unless `on_deny` routes it away; and a call a person edited runs the node only with `with_args`.
(`tests/test_retrofit_effect_node_on_deny.py` cited the README for the first, which the restructure moved
out of it.) What must hold: the denied payment is not made, the receipt node still runs on a plain edge,
and the README's summary names the caveat and `on_deny`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph

from graphs import guard_graph
from vfa import ALLOW, Deny, guard

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


class State(TypedDict, total=False):
    to: str
    amount: int
    receipt: str


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


def test_a_denied_effect_node_writes_nothing_and_the_next_node_runs() -> None:
    paid: list[int] = []

    def pay(state: State) -> dict[str, Any]:
        paid.append(state["amount"])
        return {}

    def receipt(state: State) -> dict[str, Any]:
        return {"receipt": f"paid {state['amount']} to {state['to']}"}

    builder = StateGraph(State)
    builder.add_node("pay", pay)
    builder.add_node("receipt", receipt)
    builder.add_edge(START, "pay")
    builder.add_edge("pay", "receipt")
    builder.add_edge("receipt", END)
    app = guard_graph(builder, [budget], effect_nodes={"pay": lambda s: {"to": s["to"], "amount": s["amount"]}})
    out = app.invoke({"to": "mallory", "amount": 500})
    assert paid == []
    assert out["receipt"] == "paid 500 to mallory"  # the graph went on as if it had paid


def test_the_readme_summary_names_the_caveat_and_on_deny() -> None:
    summary = README.split("## Guard an app you already have", 1)[1].split("\n## ", 1)[0]
    assert "goes on along its edges" in summary and "on_deny" in summary, summary
