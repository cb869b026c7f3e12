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
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

import graphs
from guards import PrivacyFlow, PrivacyPolicy
from tests._lunch_chat import MAILED, chat_then_mail, lunch_model, summariser
from tests._web_mail import ME, mail_to
from vfa.testing import ScriptedModel

@pytest.mark.xfail(strict=True, reason="stated limit: a guard_graph flow first reads a thread at its first tool call")
def test_a_guard_graph_thread_compacted_before_its_first_call_is_not_blinded() -> None:
    sent: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"summary-guard-graph")
    agent = create_agent(ScriptedModel(rule=lunch_model), [mail_to(sent)], middleware=[summariser()])
    app = graphs.guard_graph(agent, [flow.guard()], flow=flow, checkpointer=InMemorySaver())
    chat_then_mail(lambda text, cfg: app.invoke({"messages": [HumanMessage(text)]}, cfg))
    assert sent == MAILED, "the thread's own summary blinded it"
