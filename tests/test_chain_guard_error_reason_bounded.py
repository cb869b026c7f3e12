"""A guard's exception text reaches the model, the journal and the trace whole, however long.

What must hold (vfa/_chain.py `_run_each`): a guard that raises denies, and the denial quotes the
error cut short: its evidence keeps `message[:500]`. But the reason is built from the whole message
(`f"guard {name!r} raised {type}: {message}"`), so a guard whose error quotes what it was reading (a
world record, a document, a model-written argument: `KeyError(p.args["to"])`) puts all of it in the
model's next message (a 1 MB text below, read back at every later model call) and in the journal,
twice (the round's verdicts and the denial), and in the `run_guardrail` span's `vfa.reason`.

Must hold: the reason quotes the error cut as its evidence does, so the denial the model reads stays
short; the guard and the error's type are still named.

Fixed: the error text is cut to 500 characters once, after values are withheld, for the reason and the
evidence alike.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import Agent, EffectJournal, GuardChain, GuardContext, Proposal, effect, guard
from vfa.testing import ScriptedModel

_HUGE = "record: " + "A" * 1_000_000


@guard
def lookup(p, c):
    raise ValueError(_HUGE)


def test_a_huge_error_of_a_guard_is_cut_in_the_denial_the_model_reads():
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        return "sent"

    journal = EffectJournal()
    model = ScriptedModel([("transfer", {"to": "bob", "amount": 5}), "ok"])
    out = Agent(model, [transfer], guards=[lookup], journal=journal).compile().invoke(
        {"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    tm = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert tm.artifact["vfa"]["outcome"] == "denied"
    assert "'lookup' raised ValueError: record: AAA" in tm.content
    assert len(tm.content) < 2_000, f"the model reads a {len(tm.content)}-character denial"
    assert all(len(str(e.data)) < 5_000 for e in journal.entries("t"))


def test_the_chain_cuts_the_reason_as_the_evidence():
    verdict = GuardChain([lookup]).verify(Proposal(call_id="c", tool="t", args={}), GuardContext()).verdict
    assert verdict.kind == "deny" and len(verdict.reason) < 1_000
    assert verdict.evidence["message"] in verdict.reason
