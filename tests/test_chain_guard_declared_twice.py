"""A guard declared both for the agent and on a tool judges each call twice, and a person is
asked its question twice.

What must hold (vfa/_chain.py `GuardChain.applicable`: "the chain's own, then the tool's own"): one
guard object given at both levels (a confirmation put on the agent and, again, on the effect it is
meant for) is one guard. As it was, `_plan` concatenated the lists, so the guard ran twice, its
decision was journaled and traced twice, and an `Escalate` asked the person the same question twice in a row (the second
question is looked for after the first's place, `Questions._find`, so the first answer does not
count for it): the person must approve one payment twice.

Must hold: one question per escalating guard, one decision per guard, the call committed after one
approval.

Fixed: a tool's own guard that is the same object as one of the chain's judges once, in the chain's place
(GuardChain._plan).
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import ALLOW, Agent, EffectJournal, Escalate, GuardChain, GuardContext, Proposal, effect, guard
from vfa.testing import ScriptedModel


@guard
def confirm(p, c):
    return Escalate(question=f"pay {p.args['amount']} to {p.args['to']}?")


def test_a_guard_on_the_agent_and_on_the_tool_asks_once():
    @effect(guards=[confirm])
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return f"sent {amount} to {to}"

    model = ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "ok"])
    app = Agent(model, [transfer], guards=[confirm], journal=EffectJournal()).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("pay")]}, cfg)
    asked = 0
    while out.get("__interrupt__") and asked < 5:
        asked += 1
        out = app.invoke(Command(resume="approve"), cfg)
    tm = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert tm.artifact["vfa"]["outcome"] == "committed"
    assert asked == 1, f"the person was asked {asked} times about one call"


def test_a_tool_guard_that_is_the_chain_s_judges_once():
    runs: list[str] = []

    @guard
    def counted(p, c):
        runs.append(p.call_id)
        return ALLOW

    result = GuardChain([counted]).verify(Proposal(call_id="c", tool="t", args={}), GuardContext(), [counted])
    assert result.allowed and runs == ["c"] and [d.guard for d in result.decisions] == ["counted"]
