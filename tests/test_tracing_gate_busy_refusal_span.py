"""A call the retrofit gate refuses for a busy thread, before the call's own check, is traced without its span.

README (Tracing): spans `invoke_agent` -> `execute_tool {tool}` -> `run_guardrail {guard}`; "an `execute_tool`
span carries its call's `vfa.outcome`, and one whose call did not commit (denied, rejected, failed) ends in
error with `error.type` naming the outcome". `GuardNode.handle` denies a call that waited past `lock_wait_s`
for its thread inside the call's `execute_tool` span.

How it breaks: a call sent a state of the app's choosing (`Send("tools", {"messages": [...]})`) under a flow
first has the flow read the run's state (`ToolGate._settle`, `_read_sent`), which waits for the thread's lock
too; past `lock_wait_s` it raises `ThreadBusy`, and `_settle` answers with `self.node.busy(...)` outside any
`execute_tool` span: the denial's `run_guardrail` span hangs straight under the run (or under nothing), and
no span carries the call's `vfa.outcome` or its error: the refused call is missing from the error views.

What must hold: the busy refusal is one `execute_tool post` span in error (`vfa.outcome` denied), its decision a
`run_guardrail` span under it, as when `handle` itself finds the thread busy.

Fixed: the gate refuses it through GuardNode.refuse_busy, in the call's own execute_tool span.
"""

from __future__ import annotations

from typing import Any

from _busy import thread_held
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Send

import graphs
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa.testing import ScriptedModel, capture_spans

CFG = {"configurable": {"thread_id": "t"}}


def test_a_busy_refusal_of_a_sent_call_is_traced_in_its_own_span() -> None:
    posted: list[str] = []

    @tool
    @privacy_sink(disclose={"text": "*"})
    @privacy_source()
    def post(text: str) -> str:
        """Publish a post."""
        posted.append(text)
        return "posted"

    model = ScriptedModel([("post", {"text": "hello"}), "done"])

    def route(state: Any) -> Any:
        last = state["messages"][-1]
        return [Send("tools", {"messages": [last]})] if isinstance(last, AIMessage) and last.tool_calls else END

    b = StateGraph(MessagesState)
    b.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    b.add_node("tools", ToolNode([post]))
    b.add_edge(START, "agent")
    b.add_conditional_edges("agent", route, ["tools", END])
    b.add_edge("tools", "agent")
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"busy")
    gate = graphs.ToolGate([flow.guard()], flow=flow)
    gate.node.lock_wait_s = 0.2
    app = graphs.guard_graph(b, gate=gate)
    with capture_spans() as spans:
        with thread_held(gate.node, "t"):
            out = app.invoke({"messages": [HumanMessage("Say hello.")]}, CFG)
        finished = spans.get_finished_spans()
    refused = [m for m in out["messages"] if m.type == "tool"]
    assert posted == [] and refused and refused[0].artifact["vfa"]["outcome"] == "denied", refused
    by_id = {s.context.span_id: s for s in finished}
    calls = [s for s in finished if s.name == "execute_tool post"]
    assert len(calls) == 1, f"the refused call has {len(calls)} execute_tool spans"
    assert calls[0].attributes.get("vfa.outcome") == "denied"
    assert calls[0].status.status_code.name == "ERROR"
    decisions = [s for s in finished if s.name.startswith("run_guardrail")]
    parents = [by_id[s.parent.span_id].name if s.parent and s.parent.span_id in by_id else None for s in decisions]
    assert parents == ["execute_tool post"], f"the busy denial is traced under {parents}"
