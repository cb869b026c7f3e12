"""Red team 126: a gated tool a node calls from a worker thread of its own reads no state at all.

README ("Guard an app you already have"): "Called from a node of your own, a gated tool hands the flow
the run's state (as a `ToolNode` given a `Send` reads it), so a result no gate wrote that the node's
model read counts there too." `_run_state` finds the run through LangGraph's config, in the call's
`config` or in the context (`get_config()`). A node that runs its calls on a
`concurrent.futures.ThreadPoolExecutor` hands the worker no context: `get_config()` raises, and with no
config of the run's the flow was given `{}`, an empty conversation: its retrieval (a tool message no
gate wrote, holding the user's SSN) was never read and the SSN was published.

Fixed, as far as it can be: a call outside any run cannot be told from this one (a gated tool called
from plain code, with a thread id, is judged on the flow's own record of the thread), so the README says
to hand the worker the node's own config (`gated.invoke(args, config)`) or its context
(`contextvars.copy_context().run`), and either reads the run's state: the post is denied as in the
node's own thread.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
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

    def writer(state: Any, config: RunnableConfig) -> Any:
        reply = model.invoke(state["messages"])
        args = {"text": reply.content}
        if how == "here":
            gated.invoke(args)
        elif how == "worker, the node's config":
            with ThreadPoolExecutor(1) as pool:
                pool.submit(gated.invoke, args, config).result()
        elif how == "worker, the node's context":
            with ThreadPoolExecutor(1) as pool:
                pool.submit(contextvars.copy_context().run, gated.invoke, args).result()
        else:  # neither: judged on the flow's own record of the thread alone (the README's limit)
            with ThreadPoolExecutor(1) as pool:
                pool.submit(gated.invoke, args).result()
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


@pytest.mark.parametrize("how", ["here", "worker, the node's config", "worker, the node's context"])
def test_a_gated_tool_called_on_a_worker_thread_given_the_run_is_judged_on_its_conversation(how: str) -> None:
    posted = _run(how)
    assert posted == [], f"the SSN was published: {posted}"
