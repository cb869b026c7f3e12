"""Under a privacy flow, a retry of an effect node whose first error quoted its input is denied.

README: a retry its `retry_policy` asks for "is a call of its own (`<task>#attempt2`, ...), verified again
and committed once"; the privacy flow's labels "come from every result a thread ever showed the model".
An effect node's error is shown to nobody: the node raises, the run fails or is retried, and the state
(what any model reads) holds nothing of it. Yet the flow labels it as an error a model read (private to
the user, untrusted, from `tool:publish`), and an error that quotes what the node was sending (as HTTP
clients' errors quote the request) gives that very text a label it did not have. So a wiki post the
flow allowed on attempt 1 (the model's note on lunch, nothing private in it), retried on the same
state after `ConnectionError("wiki down while posting 'Team lunch ...'")`, is denied ("text carries
data from tool:publish that * may not read"), live and in the journal's audit: the same arguments,
judged anew, refused because the first try failed. Every retry of such a node is a denial.

Expected: the retry is judged on what the thread showed the model, as the first attempt was: posted
once, and the audit reports nothing. (A fix: the flow does not observe an effect node's own error, as
no model reads it; the journal marks such a failure so that `trace_from_journal` leaves its text out.)

A stated limit (README, effect nodes): the flow labels an effect node's error as it labels any tool's, since
the app may show it to a model (a node of its own that reports the failure); the test is a strict xfail.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import RetryPolicy

import graphs
from benchmarks.privacy.world import USER
from guards import PrivacyFlow, PrivacyPolicy, audit_trace, trace_from_journal
from vfa.testing import ScriptedModel

NOTE = "Team lunch is at noon on Friday."


def _run(quoted: bool) -> tuple[list[str], list[Any]]:
    posted: list[str] = []
    tried: list[int] = []
    model = ScriptedModel(rule=lambda ms: NOTE)

    def publish(state: MessagesState) -> dict[str, Any]:
        tried.append(1)
        if len(tried) == 1:
            text = state["messages"][-1].content
            raise ConnectionError(f"wiki down while posting {text!r}" if quoted else "wiki down")
        posted.append(state["messages"][-1].content)
        return {}

    b = StateGraph(MessagesState)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("publish", publish, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False,
                                                              retry_on=ConnectionError))
    b.add_edge(START, "agent")
    b.add_edge("agent", "publish")
    b.add_edge("publish", END)
    policy = PrivacyPolicy.of(USER)
    flow = PrivacyFlow(policy, secret=b"retry-quoting-error")
    app = graphs.guard_graph(b, [flow.guard()], flow=flow, checkpointer=InMemorySaver(),
                             effect_nodes={"publish": lambda state: {"text": state["messages"][-1].content}})
    out = app.invoke({"messages": [HumanMessage("Write a note about lunch for the wiki.")]},
                     {"configurable": {"thread_id": "t"}})
    found = audit_trace(trace_from_journal(flow.journal, "t", messages=out["messages"]), [], policy, thread_id="t")
    return posted, found


def test_control_a_retry_after_an_error_that_quotes_nothing_is_committed() -> None:  # holds
    assert _run(quoted=False) == ([NOTE], [])


@pytest.mark.xfail(strict=True, reason="stated limit: an effect node's error text is labelled as a tool's error")
def test_a_retry_after_an_error_quoting_the_node_input_is_committed() -> None:
    posted, found = _run(quoted=True)
    assert posted == [NOTE], "the retry, with the arguments the flow allowed on attempt 1, was denied"
    assert found == []
