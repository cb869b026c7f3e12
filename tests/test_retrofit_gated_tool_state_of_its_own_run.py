"""Red team 126: a gated tool called from a node of a graph that a tool runs (an agent used as a tool)
reads the outer ToolNode's state, not its own run's, so a result no gate wrote there is missed.

README ("Guard an app you already have"): "Called from a node of your own, a gated tool hands the flow
the run's state (as a `ToolNode` given a `Send` reads it), so a result no gate wrote that the node's
model read counts there too." `GatedTool._state` takes the state the gate's `wrap_tool_call` put in
`_STATE` first and reads the run's state (`_run_state`) only when there is none. But `_STATE` is a
context variable: a tool the outer `ToolNode` runs (`helper`, an agent used as a tool, guarded with the
same gate as the README asks) runs its inner graph inside that context, so a node of the inner graph
that calls the gated `post` hands the flow the *outer* conversation. The inner run's own retrieval (a
tool message no gate wrote, holding the user's SSN) is never read, and the SSN is published; the same
inner graph run on its own is denied (red team 123's test).

Why it matters: the state a call is judged on must be the one its model read; `_STATE` is another
run's state there (a stale one too: the outer ToolNode's, from before the helper ran).
Expected: `_STATE` counts only for calls of the ToolNode task that set it; elsewhere the run's state.

Fixed: the gate records the ToolNode's task id with the state it hands on (`_task_of`); a call made in
another task reads its own run's state.
"""

from __future__ import annotations

from typing import Any

from _tool_loop import model_node, tool_loop
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"


def _run(*, research: bool = True, text: str = f"ssn {SSN}") -> tuple[list[str], list[Any]]:
    posted: list[str] = []
    got: list[Any] = []

    @tool
    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    def post(text: str) -> str:
        """Publish a post."""
        posted.append(text)
        return "posted"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt126-nested")
    gate = graphs.ToolGate([flow.guard()], flow=flow, read_only=["helper"])
    gated = graphs.guard_tool(post, gate=gate)
    inner_model = ScriptedModel(rule=lambda messages: text)

    def fetch(state: Any) -> Any:  # the inner app's own retrieval: a result no gate wrote
        if not research:
            return {}
        return {"messages": [AIMessage("", tool_calls=[{"name": "lookup", "args": {}, "id": "r0"}]),
                             ToolMessage(f"the user's SSN is {SSN}", tool_call_id="r0")]}

    def writer(state: Any) -> Any:
        reply = inner_model.invoke(state["messages"])
        got.append(gated.invoke({"text": reply.content}))
        return {"messages": [reply]}

    b = StateGraph(MessagesState)
    b.add_node("fetch", fetch)
    b.add_node("writer", writer)
    b.add_edge(START, "fetch")
    b.add_edge("fetch", "writer")
    b.add_edge("writer", END)
    inner = graphs.guard_graph(b, gate=gate)

    @tool
    @privacy_sink(internal=["task"])
    @privacy_source()
    def helper(task: str) -> str:
        """Run the helper agent on a task."""
        inner.invoke({"messages": [HumanMessage(task)]})
        return "done"

    outer_model = ScriptedModel([("helper", {"task": "write a post"}), "done"])
    app = graphs.guard_graph(tool_loop(model_node(outer_model), ToolNode([helper])), gate=gate,
                             checkpointer=InMemorySaver())
    app.invoke({"messages": [HumanMessage("use the helper")]}, {"configurable": {"thread_id": "t"}})
    return posted, got


def test_a_gated_tool_in_a_node_of_an_agent_run_by_a_tool_reads_that_runs_state() -> None:
    posted, got = _run()
    assert posted == [], f"the SSN was published: {posted}"
    assert "unobserved" in str(getattr(got[0], "content", got[0]))


def test_control_an_honest_post_from_the_inner_node_goes() -> None:
    posted, _ = _run(research=False, text="the plan is fine")
    assert posted == ["the plan is fine"]
