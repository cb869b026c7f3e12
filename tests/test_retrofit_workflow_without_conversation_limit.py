"""In a functional-API workflow, a result no gate wrote that the model read is not counted.

Scenario (red team 123's, as an `@entrypoint`). The app's `fetch` task returns a retrieval result, a tool
message no gate wrote, holding the user's SSN in clear; the workflow adds it to its messages and its
`write` task hands them to the model, then publishes the model's post through the gated `post` tool
(`graphs.guard_tool(post, gate=gate)`, the mediated way the coverage check names), as a tool call or with
plain arguments. `graphs.check_coverage(app, flow=flow)` passes. The model copies the SSN.

The same app as a `StateGraph` is denied (`test_retrofit_gated_tool_in_node_reads_state`): the gated tool
reads the run's state, which holds the messages the node's model was given, and the flow counts the
result it never labelled. An entrypoint's run state is its input and `previous`, never the messages its
tasks hand the model, so the flow reads no conversation, takes the thread for one that showed the model
only what its gates wrote, and the SSN is published to everyone.

Why it matters: the README says a gated tool called from a node of the app's own hands the flow the run's
state, "so a result no gate wrote that the node's model read counts there too"; in a workflow the guard
cannot know what the model read, and it allows instead of failing closed. Expected: the post is denied
(a call made in a run whose state holds no conversation is labelled as one whose context is unknown:
private to the user and untrusted, as an unthreaded `Send` of a bare call is), unless the app hands the
gated tool the messages its model read.

Not fixed; a stated limit (README, "Guard an app you already have"). Labelling every call of a run
with no conversation as private and untrusted would deny what plain code in a workflow computes
(no model read anything); the app says what its model read with `gated.with_state({"messages":
...})`, and then the post is denied (`state` below). The two routes that cannot
know are kept as strict xfails.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph.message import add_messages

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel

USER = "me@home.example"
SSN = "078-05-1120"


LIMIT = pytest.mark.xfail(strict=True, reason="stated limit: a workflow's run state holds no conversation")


@pytest.mark.parametrize("how", [pytest.param("call", marks=LIMIT), pytest.param("plain", marks=LIMIT), "state"])
def test_a_result_no_gate_wrote_counts_for_a_gated_tool_in_a_workflow(how: str) -> None:
    posted: list[Any] = []

    @tool
    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    def post(text: str) -> str:
        """Publish a post."""
        posted.append(text)
        return "posted"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"rt168-entrypoint")
    gate = graphs.ToolGate([flow.guard()], flow=flow)
    gated = graphs.guard_tool(post, gate=gate)
    model = ScriptedModel(rule=lambda messages: f"ssn {SSN}")

    @task
    def fetch() -> list[Any]:  # the app's own retrieval: a result no gate wrote
        return [AIMessage("", tool_calls=[{"name": "lookup", "args": {}, "id": "r0"}]),
                ToolMessage(f"the user's SSN is {SSN}", tool_call_id="r0")]

    @task
    def write(messages: list[Any]) -> Any:
        reply = model.invoke(messages)
        args = {"text": reply.content}
        if how == "state":  # the messages the model was given, handed to the gated tool
            return gated.with_state({"messages": messages}).invoke(args)
        return gated.invoke({"name": "post", "args": args, "id": "p1", "type": "tool_call"} if how == "call" else args)

    @entrypoint(checkpointer=InMemorySaver())
    def app(messages: list[Any]) -> Any:
        messages = add_messages(messages, fetch().result())
        return write(messages).result()

    graphs.check_coverage(app, flow=flow)  # passes: every tool the workflow runs is gated
    app.invoke([HumanMessage("write a post")], {"configurable": {"thread_id": "t"}})
    assert posted == [], f"the SSN the model read past the gate was published: {posted}"
