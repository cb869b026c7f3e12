"""A plan `verify_plan` rejects, and a plan's calls `stop_plan` refuses, are journaled but never traced.

README (Tracing): spans `execute_tool {tool}` -> `run_guardrail {guard}`, "and one whose call did not commit
(denied, rejected, failed) ends in error with `error.type` naming the outcome", with the metric
`vfa.guard.verdicts`; DESIGN: "Every step emits an OpenTelemetry span ... one span per guard decision".
`graphs.plan_execute` journals each call of a rejected plan as the node journals a guard's denial
(`GuardNode.record_denial`: proposed, its verdicts, denied), and the calls of a malformed plan or those after
a failed step as the node's own refusals (`GuardNode.refusals`), but opens no span for either: a rejected
plan's decision is on record and traced zero times (no `run_guardrail verify_plan`, no call's span in error,
no verdict counted), where the node traces each of its own refusals and each guard's denial once.

What must hold: each call a rejected plan denies is one `execute_tool {tool}` span in error (`vfa.outcome`
denied), with the `run_guardrail verify_plan` decision under it, as a denial in the node is traced.

Fixed: each such call is one execute_tool span in error with its decision under it; one already on record is
vfa.replayed.
"""

from __future__ import annotations

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import Agent, effect
from vfa.testing import ScriptedModel, capture_spans


class Bank(BaseModel):
    balance: int


bank = Policy(Bank)


@effect
@bank.requires("0 < amount <= state.balance")
@bank.ensures("state.balance -= amount")
def transfer(to: str, amount: int) -> str:
    """Send money."""
    return f"sent {amount} to {to}"


def _run(plan: list) -> tuple[list, list]:
    agent = Agent(ScriptedModel([plan, "done"]), [transfer], world=lambda: Bank(balance=100))
    app = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
        finished = spans.get_finished_spans()
    return [m for m in out["messages"] if isinstance(m, ToolMessage)], list(finished)


def test_each_call_of_a_rejected_plan_is_one_error_span_with_its_decision() -> None:
    said, finished = _run([("transfer", {"to": "a", "amount": 60}), ("transfer", {"to": "b", "amount": 60})])
    assert len(said) == 2 and all("plan rejected" in m.content for m in said), [m.content for m in said]
    calls = [s for s in finished if s.name == "execute_tool transfer"]
    assert sorted(s.attributes.get("gen_ai.tool.call.id") for s in calls) == ["call_0_0", "call_0_1"], \
        f"{len(calls)} execute_tool spans for two denied calls"
    assert all(s.attributes.get("vfa.outcome") == "denied" and s.status.status_code.name == "ERROR" for s in calls)
    by_id = {s.context.span_id: s for s in finished}
    decisions = [s for s in finished if s.name == "run_guardrail verify_plan"]
    assert len(decisions) == 2 and all(by_id[s.parent.span_id].name == "execute_tool transfer" for s in decisions)
    assert all(s.attributes["vfa.verdict"] == "deny" for s in decisions)


def test_each_call_of_a_malformed_plan_is_one_error_span_with_its_decision() -> None:
    """The node's own refusals of a plan (`refusals`: two steps under one id) are traced as the node's refusals are."""
    from langchain_core.messages import AIMessage

    plan = AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "a", "amount": 5}, "id": "x"},
                                     {"name": "transfer", "args": {"to": "b", "amount": 5}, "id": "x"}])
    said, finished = _run(plan)
    assert len(said) == 2 and all(m.status == "error" for m in said)
    calls = [s for s in finished if s.name == "execute_tool transfer"]
    assert len(calls) == 2 and all(s.status.status_code.name == "ERROR" for s in calls), f"{len(calls)} spans"
    decisions = [s for s in finished if s.name == "run_guardrail verify_plan"]
    assert len(decisions) == 2
