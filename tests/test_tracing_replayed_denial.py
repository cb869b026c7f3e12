"""A denied call replayed when its node runs again ends a second `execute_tool` span in error.

This session made an `execute_tool` span whose call did not commit end in error (`error.type` naming the
outcome), so that a backend's error views show refused calls. A turn with two calls, one denied and one
escalated to a person, runs its tool node twice: once up to the question, and again on the answer, when
the node answers the denied call from its journal (`_replayed`: nothing is judged or done again). That
replay opens a new `execute_tool` span for the same call id, which now also ends in error: each answered
question in a turn counts every earlier denial of the turn once more in the error views and rates.

What must hold: one denial is one error span; a span of a call answered from the journal says so
(`vfa.replayed`) and keeps its outcome, without a second error.

Fixed: `_handle` marks the call's frame replayed; `record_outcome` sets `vfa.replayed` and no error status.

Fixed: a replayed call's span carries vfa.replayed and no error status.
"""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Deny, Escalate, effect
from vfa.testing import FunctionGuard, ScriptedModel, capture_spans


@effect
def pay(amount: int) -> str:
    """Pay an amount."""
    return "paid"


def _judge(proposal, context):
    if proposal.args["amount"] > 100:
        return Deny(reason="over the limit")
    if proposal.args["amount"] > 10:
        return Escalate(question="pay this?")
    return ALLOW


def test_a_denial_replayed_on_a_resume_is_one_error_span():
    agent = Agent(ScriptedModel([[("pay", {"amount": 500}), ("pay", {"amount": 50})], "done"]), [pay],
                  guards=[FunctionGuard(_judge)])
    app = agent.compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    with capture_spans() as spans:
        assert app.invoke({"messages": [("user", "pay")]}, cfg).get("__interrupt__")
        out = app.invoke(Command(resume={"decision": "approve"}), cfg)
        finished = [s for s in spans.get_finished_spans() if s.name == "execute_tool pay"]
    assert [m.content for m in out["messages"] if m.type == "tool"][-1] == "paid"
    denied = [s for s in finished if s.attributes["gen_ai.tool.call.id"] == "call_0_0"]
    assert [s.attributes["vfa.outcome"] for s in denied] == ["denied", "denied"]
    errors = [s for s in denied if s.status.status_code.name == "ERROR"]
    assert len(errors) == 1, f"one denial, {len(errors)} error spans"
    assert denied[1].attributes.get("vfa.replayed") is True
