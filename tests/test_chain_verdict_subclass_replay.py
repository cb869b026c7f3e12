"""A guard returning a subclass of a verdict with a field of its own makes its thread unresumable.

What must hold (vfa/_verdict.py: verdicts are pydantic models with `extra="forbid"` that "round-trip
through JSON"; the guard node answers a call it already decided from the journal, "act never again"):
whatever verdict instance a guard returns, what is journaled reads back as a verdict.

How it breaks: the chain takes any instance of `Allow`/`Deny`/`Escalate`/`Repair` as it is
(`isinstance`, vfa/_chain.py `_run_each`), so `class PolicyDeny(Deny): clause: str` reaches the
journal's `denied` entry with its `clause` (`verdict.model_dump`). When the node runs again for that
turn (here: a second call of the turn asked a person, and the thread is resumed), the first call is
answered from the journal, `denied_verdict` validates the entry as a `Deny`, and the `clause` key is
refused: `ValidationError` out of `invoke`, on every resume, the approved call never runs.

Must hold: the resume completes, the first call is answered with its denial as first shown, the
second (approved) call commits; the journaled verdict reads back as a plain `Deny`.

Fixed: a verdict of a subclass is handed on as its base verdict, its own fields dropped (a conversion that
fails denies).
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, Deny, EffectJournal, Escalate, GuardChain, GuardContext, Proposal, effect, guard
from vfa.testing import ScriptedModel


class PolicyDeny(Deny):
    clause: str = ""


def test_a_turn_with_a_denial_of_a_verdict_subclass_resumes():
    sent: list[tuple[str, int]] = []

    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        sent.append((to, amount))
        return f"sent {amount} to {to}"

    @guard
    def policy(p, c):
        if p.args["amount"] > 100:
            return PolicyDeny(reason="over 100", clause="amount <= 100")
        return ALLOW if p.args["to"] == "alice" else Escalate(question=f"pay {p.args['to']}?")

    model = ScriptedModel([[("transfer", {"to": "bob", "amount": 500}), ("transfer", {"to": "carol", "amount": 5})],
                           "ok"])
    journal = EffectJournal()
    app = Agent(model, [transfer], guards=[policy], journal=journal).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("pay")]}, cfg)
    assert out.get("__interrupt__"), "the second call asks a person"
    out = app.invoke(Command(resume="approve"), cfg)
    results = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert [m.artifact["vfa"]["outcome"] for m in results] == ["denied", "committed"]
    assert "over 100" in results[0].content
    assert sent == [("carol", 5)]


def test_the_chain_hands_on_a_plain_verdict():
    @guard
    def policy(p, c):
        return PolicyDeny(reason="over 100", clause="amount <= 100")

    result = GuardChain([policy]).verify(Proposal(call_id="c", tool="t", args={}), GuardContext())
    assert type(result.verdict) is Deny and result.verdict.reason == "over 100"
    assert Deny.model_validate(result.verdict.model_dump(mode="json")) == result.verdict
