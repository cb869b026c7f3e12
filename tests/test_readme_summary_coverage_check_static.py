"""`graphs.check_coverage` is a static reading; the README's summary promised it names "any node".

The README's "Guard an app you already have" said "`graphs.check_coverage(graph)` names any node that still
reaches a tool unmediated". docs/existing-apps.md ("The coverage check") is the reference: the check reads
what each node's code holds, "a static reading, not a proof"; names computed at run time (`getattr(mod,
name)`) are not seen. For a vfa `Effect` the commit check at run time is a second line; a plain LangChain
tool of an app guarded after the fact has none, so a node that reaches it by a computed name runs it
unguarded though `guard_graph` and `check_coverage` both pass. What must hold: a node naming the tool is
refused, a computed name is missed (the reference's limit), and the README's summary says the check is a
static reading rather than promising every node.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

import graphs
from graphs import guard_graph
from vfa import ALLOW, CoverageError, Deny, guard

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
PAID: list[int] = []


@tool
def transfer(to: str, amount: int) -> str:
    """Send money."""
    PAID.append(amount)
    return "sent"


@guard
def budget(p, c):
    return ALLOW if p.args.get("amount", 0) <= 100 else Deny(reason="over 100")


def _graph(node):
    builder = StateGraph(MessagesState)
    builder.add_node("pay", node)
    builder.add_edge(START, "pay")
    builder.add_edge("pay", END)
    return builder.compile(checkpointer=InMemorySaver())


def named(state):
    transfer.invoke({"to": "mallory", "amount": 500})
    return {}


def computed(state):
    getattr(sys.modules[__name__], "trans" + "fer").invoke({"to": "mallory", "amount": 500})
    return {}


def test_a_node_naming_the_tool_is_refused() -> None:
    with pytest.raises(CoverageError, match="node 'pay'"):
        guard_graph(_graph(named), [budget])


def test_a_tool_reached_by_a_computed_name_is_missed_and_runs_unguarded() -> None:
    PAID.clear()
    guarded = guard_graph(_graph(computed), [budget])
    graphs.check_coverage(guarded)  # passes: a static reading
    guarded.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
    assert PAID == [500]


def test_the_readme_summary_says_the_check_is_a_static_reading() -> None:
    summary = README.split("## Guard an app you already have", 1)[1].split("\n## ", 1)[0]
    assert "names any node" not in summary
    assert "static reading" in summary, summary
