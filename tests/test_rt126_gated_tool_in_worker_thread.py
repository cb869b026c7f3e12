"""Red team 126: a gated tool a node calls from a worker thread of its own reads no state at all.

README ("Guard an app you already have"): "Called from a node of your own, a gated tool hands the flow
the run's state (as a `ToolNode` given a `Send` reads it), so a result no gate wrote that the node's
model read counts there too." `_run_state` finds the run through LangGraph's config, in the call's
`config` or in the context (`get_config()`). A node that runs its calls on a
`concurrent.futures.ThreadPoolExecutor` (the usual way to run slow tools at once) hands the worker no
context: `get_config()` raises, `_run_state` returns None, and the flow is given `{}`, an empty
conversation. Its retrieval (a tool message no gate wrote, holding the user's SSN) is never read and the
SSN is published; passing the thread id, as a call made outside a graph does
(`{"configurable": {"thread_id": "t"}}`), changes nothing. The same call made in the node's own thread
is denied.

Why it matters: fail open. Nothing tells the app that its call was judged on no conversation.
Expected: the post is denied (or the call refused with an error naming the fix: pass the node's config),
never judged on an empty conversation while a run is going on.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"


def _run(how: str) -> list[str]:
    posted: list[str] = []

    @tool
    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    def post(text: str) -> str:
        """Publish a post."""
        posted.append(text)
        return "posted"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt126-worker")
    gate = graphs.ToolGate([flow.guard()], flow=flow)
    gated = graphs.guard_tool(post, gate=gate)
    model = ScriptedModel(rule=lambda messages: f"ssn {SSN}")

    def fetch(state: Any) -> Any:  # the app's own retrieval: a result no gate wrote
        return {"messages": [AIMessage("", tool_calls=[{"name": "lookup", "args": {}, "id": "r0"}]),
                             ToolMessage(f"the user's SSN is {SSN}", tool_call_id="r0")]}

    def writer(state: Any) -> Any:
        reply = model.invoke(state["messages"])
        args = {"text": reply.content}
        if how == "here":
            gated.invoke(args)
        else:
            config = {"configurable": {"thread_id": "t"}} if how == "worker, thread id" else None
            with ThreadPoolExecutor(1) as pool:
                pool.submit(gated.invoke, args, config).result()
        return {"messages": [reply]}

    b = StateGraph(MessagesState)
    b.add_node("fetch", fetch)
    b.add_node("writer", writer)
    b.add_edge(START, "fetch")
    b.add_edge("fetch", "writer")
    b.add_edge("writer", END)
    app = graphs.guard_graph(b, gate=gate, checkpointer=InMemorySaver())
    app.invoke({"messages": [HumanMessage("write a post")]}, {"configurable": {"thread_id": "t"}})
    return posted


@pytest.mark.parametrize("how", ["here", "worker", "worker, thread id"])
def test_a_gated_tool_called_on_a_worker_thread_of_a_node_is_not_judged_on_no_conversation(how: str) -> None:
    posted = _run(how)
    assert posted == [], f"the SSN was published: {posted}"
