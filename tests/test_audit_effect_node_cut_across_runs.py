"""The journal's audit of a `guard_graph` app misses a value cut across an effect node's runs.

An effect node (`guard_graph(..., effect_nodes={"publish": args_of})`) is a proposal named after the node, judged
live as a tool without a privacy declaration: it publishes every argument, and the flow keeps what each run
disclosed, so a private value published in two pieces is denied at the second (a value cut across calls). The
audit (`audit_trace(trace_from_journal(...), tools, flow=...)`) is handed the app's tools; an effect node is
none, so its calls were judged with no spec, and `PrivacyFlow._disclosed` keeps nothing for a call without one:
the first piece was never counted, and the audit reported a clean journal where the live guard denied.

Must hold: the audit of the journal reports what the live guard denied (docs/privacy.md, "Audit": "a vfa run's journal
gives the same violations its guard reported").

Fixed: audit_trace judges a tool it was not given (an effect node) as the live gate declares it, with no
declarations, so what it ran disclosed counts.
"""

from __future__ import annotations

from typing import Any

from _audit_trace import audit_journal, found, live_denials
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from benchmarks.privacy.world import POLICY
from guards import PrivacyFlow, privacy_sink, privacy_source
from vfa import EffectJournal
from vfa.testing import ScriptedModel

SSN = "078-05-1120"
SECRET = b"cut"


@tool
@privacy_sink()
@privacy_source(private=["content"], untrusted=["content"], handle=False, kind="file")
def read_file(path: str) -> dict:
    """Read a file."""
    return {"path": path, "content": f"W-2 for Emma, SSN {SSN}."}


def _run(posted: list[str]) -> tuple[list[Any], EffectJournal]:
    """The model reads the W-2, then answers twice, each answer published by the `publish` effect node: the
    SSN cut in two ("078-05", then "1120")."""

    def rule(ms: list[Any]) -> Any:
        if not any(m.type == "tool" for m in ms):
            return ("read_file", {"path": "tax/w2.txt"})
        answers = sum(1 for m in ms if m.type == "ai" and not m.tool_calls)
        return ["Part one: 078-05", "Part two: 1120", "done"][answers]

    model = ScriptedModel(rule=rule).bind_tools([read_file])

    def publish(state: MessagesState) -> dict[str, Any]:
        posted.append(str(state["messages"][-1].content))  # the team wiki: everyone reads it
        return {}

    def route(state: MessagesState) -> str:
        last = state["messages"][-1]
        return "tools" if last.tool_calls else END if last.content == "done" else "publish"

    b = StateGraph(MessagesState)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([read_file]))
    b.add_node("publish", publish)
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route, ["tools", "publish", END])
    b.add_edge("tools", "agent")
    b.add_edge("publish", "agent")
    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=SECRET, journal=journal)
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, journal=journal, checkpointer=InMemorySaver(),
                             effect_nodes={"publish": lambda s: {"text": str(s["messages"][-1].content)}})
    out = app.invoke({"messages": [HumanMessage("Summarise my W-2 for the wiki.")]}, {"configurable": {"thread_id": "t"}})
    return out["messages"], journal


def test_the_audit_of_the_journal_finds_a_value_cut_across_an_effect_nodes_runs() -> None:
    posted: list[str] = []
    messages, journal = _run(posted)
    live = live_denials(journal)
    assert posted == ["Part one: 078-05"], posted  # live: the second piece was denied
    assert [(rule, arg) for _call, rule, arg in live] == [("confidentiality", "text")], live
    by_journal = audit_journal(journal, messages, [read_file], PrivacyFlow(POLICY, secret=SECRET))
    assert found(by_journal) == live, ([v.message for v in by_journal], live)
