"""A plan rejected again, the same calls under the same ids, is neither journaled nor traced again.

README (Tracing): an `execute_tool` span "whose call did not commit ... ends in error ... once: a call its node,
run again, answers from the journal carries `vfa.replayed`"; `vfa.replayed` means the run answered a decision
another run made. `tests/test_plan_rejection_replan_ids.py`: models number their calls' ids per plan, so a
re-plan reuses the ids of the plan it replaces, and each rejected plan is journaled for the journal's audit.

How it breaks: `GuardNode.record_denial` keys a rejected plan's call by its id and its call
(`<id>#plan-<fingerprint>`), and leaves alone a call the journal already holds under that key, taking it
for its node run again. A model that proposes the rejected plan again (the same steps under the same ids: a
model that does not take the counterexample in) gets a second rejection, a new decision by a new task, which
is not journaled and is traced as `vfa.replayed` with no error and no `run_guardrail verify_plan`: the trace
and the journal's audit show one rejected plan where the model proposed two, and the error views count one.

What must hold: each rejection of a plan the model proposed is journaled and traced as a decision; only the
same task run again (a crash and replay: `tests/test_plan_refusals_on_two_replicas.py`) answers from the journal.

Fixed: record_denial keys a rejected plan's call by its id, its call and its task.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy
from vfa import Agent, EffectJournal, effect
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


def _plan() -> AIMessage:
    return AIMessage("", tool_calls=[{"name": "transfer", "args": {"to": "a", "amount": 60}, "id": "p1"},
                                     {"name": "transfer", "args": {"to": "b", "amount": 60}, "id": "p2"}])


def test_the_same_plan_rejected_twice_is_journaled_and_traced_twice() -> None:
    journal = EffectJournal()
    agent = Agent(ScriptedModel([_plan(), _plan(), "done"]), [transfer], world=lambda: Bank(balance=100),
                  journal=journal)
    app = plan_execute(agent, max_replans=1).compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        out = app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "t"}})
        finished = list(spans.get_finished_spans())
    said = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert [(m.tool_call_id, m.status) for m in said] == [("p1", "error"), ("p2", "error")] * 2
    denied = [e.call_id for e in journal.entries("t") if e.kind == "denied"]
    assert len(denied) == 4, f"two plans of two calls rejected, journaled denied {len(denied)} times: {denied}"
    calls = [s for s in finished if s.name == "execute_tool transfer"]
    assert len(calls) == 4 and all(s.status.status_code.name == "ERROR" and not s.attributes.get("vfa.replayed")
                                   for s in calls), [(dict(s.attributes), s.status.status_code.name) for s in calls]
    assert len([s for s in finished if s.name == "run_guardrail verify_plan"]) == 4
