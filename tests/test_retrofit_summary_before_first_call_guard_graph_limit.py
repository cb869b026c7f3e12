"""A `guard_graph` agent guarded from its start is not blinded by its own summariser (failing test, not fixed).

Scenario: `guard_graph(create_agent(model, [send_email], middleware=[SummarizationMiddleware(...)]),
[flow.guard()], flow=flow)`. On a thread the user chats with the model first (no tool call); the summariser
folds the chat into its summary; then the user asks, in the message after it, "Mail bob at bob@x.example:
lunch is at noon." and the model mails bob "Lunch is at noon.".

A `guard_graph` agent's flow reads the state at tool calls only (README). Its first read of the thread is
at the mail, when the thread already holds the summary, and journal and flow hold nothing of it: the
flow takes it for "a thread first seen already compacted", journals the summary unobserved, labels every
argument private to the user and untrusted, and denies the mail the user asked for. The same app under
`GuardMiddleware` (which reads each model call) sends it.

Why it matters: README limits the blinding to "an app guarded after the fact, a summary carried into a new
thread"; this thread was guarded from its first message. Any `guard_graph` app with a summariser blinds
every conversation that is compacted before its first tool call.

Expected: the mail goes. (Not fixed here: the flow cannot tell this thread from a seeded one without
having seen it; either `guard_graph` notes the threads its model calls read, or README states this
over-denial beside "a `guard_graph` agent's flow reads the state at each tool call only".)

A stated limit (README, "already holding one"): a strict xfail.
"""

from __future__ import annotations

import pytest

from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import SummarizationMiddleware
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

import graphs
from guards import PrivacyFlow, PrivacyPolicy
from tests._web_mail import ME, mail_to
from vfa.testing import ScriptedModel

BOB = "bob@x.example"


def _model(ms: list[Any]) -> AIMessage:
    """Chats; mails bob when the user's last message asks for it."""
    last = ms[-1]
    if isinstance(last, ToolMessage):
        return AIMessage("Done.")
    if isinstance(last, HumanMessage) and "Mail bob" in str(last.content):
        return AIMessage("", tool_calls=[{"name": "send_email", "args": {"to": BOB, "body": "Lunch is at noon."},
                                          "id": "m1"}])
    return AIMessage("Sure.")


@pytest.mark.xfail(strict=True, reason="stated limit: a guard_graph flow first reads a thread at its first tool call")
def test_a_guard_graph_thread_compacted_before_its_first_call_is_not_blinded() -> None:
    sent: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"summary-guard-graph")
    summariser = ScriptedModel(rule=lambda ms: AIMessage("The user and the assistant chatted about lunch."))
    agent = create_agent(ScriptedModel(rule=_model), [mail_to(sent)],
                         middleware=[SummarizationMiddleware(summariser, trigger=("messages", 5), keep=("messages", 1))])
    app = graphs.guard_graph(agent, [flow.guard()], flow=flow, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "a"}}
    app.invoke({"messages": [HumanMessage("Let's plan lunch.")]}, cfg)
    app.invoke({"messages": [HumanMessage("Noon works.")]}, cfg)
    out = app.invoke({"messages": [HumanMessage(f"Mail bob at {BOB}: lunch is at noon.")]}, cfg)
    assert any(getattr(m, "additional_kwargs", {}).get("lc_source") for m in out["messages"])  # compacted
    assert sent == [(BOB, "Lunch is at noon.")], "the thread's own summary blinded it"
