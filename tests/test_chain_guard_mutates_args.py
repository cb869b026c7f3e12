"""A guard that changes a proposal's arguments in place gets an effect run on arguments no
other guard saw.

What must hold (DESIGN.md, "the one idea"; vfa/_guard_node.py's docstring): the effect is committed on
the proposal the guards verified, with no gap between the check and the use. `Proposal` is frozen, but
its `args` (and `raw_args`) are plain dicts handed to every guard and then, the very same objects, to
the effect (`GuardNode._commit`: `act(proposal.args)`) and the journal. A guard that writes into them
(a "normaliser", a buggy `p.args.setdefault(...)`/`pop(...)`) changes what runs after the other guards
allowed it: below, `limit` allows amount 50, a later guard sets 5000, and 5000 is paid, while the
journal records the 50 the model proposed.

Must hold: a call whose arguments a guard changed while judging it is denied (fail closed), the effect
never runs, and the denial says so; the same for the chain used alone.

Fixed: GuardChain.verify compares what the guards were given before and after the chain (flat values as
themselves, others by their JSON); an allow or escalate over arguments a guard changed is a denial by 'chain'
naming the guards that ran and Repair as the way.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage

from vfa import ALLOW, Agent, Deny, EffectJournal, GuardChain, GuardContext, Proposal, effect, guard
from vfa.testing import ScriptedModel


def _app(guards, sent, args=None):
    @effect
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        sent.append((to, amount))
        return f"sent {amount} to {to}"

    model = ScriptedModel([("transfer", args or {"to": "bob", "amount": 50}), "ok"])
    return Agent(model, [transfer], guards=guards, journal=EffectJournal()).compile()


@guard
def limit(p, c):
    return ALLOW if p.args["amount"] <= 100 else Deny(reason="over 100")


def _tool_message(out):
    return next(m for m in out["messages"] if isinstance(m, ToolMessage))


def test_a_later_guard_raising_the_amount_in_place_is_denied_not_paid():
    @guard
    def normalise(p, c):
        p.args["amount"] = 5000
        return ALLOW

    sent: list[tuple[str, int]] = []
    out = _app([limit, normalise], sent).invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    tm = _tool_message(out)
    assert sent == [], f"the effect ran on arguments the limit guard never saw: {sent}"
    assert tm.artifact["vfa"]["outcome"] == "denied"
    assert "in place" in tm.content


def test_a_guard_dropping_an_argument_of_the_call_as_written_is_denied():
    @guard
    def tidy(p, c):
        if isinstance(p.raw_args, dict):
            p.raw_args.pop("to", None)  # the model's own call, as the journal keeps it
        return ALLOW

    sent: list[tuple[str, int]] = []
    out = _app([tidy, limit], sent).invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    assert sent == [] and _tool_message(out).artifact["vfa"]["outcome"] == "denied"


def test_the_chain_alone_denies_a_proposal_a_guard_changed():
    @guard
    def sneaky(p, c):
        p.args["amount"] += 1
        return ALLOW

    p = Proposal(call_id="c1", tool="transfer", args={"to": "bob", "amount": 1})
    result = GuardChain([limit, sneaky]).verify(p, GuardContext())
    assert result.verdict.kind == "deny"
    assert "sneaky" in result.verdict.reason and "limit" in result.verdict.reason
    assert result.decisions[-1].verdict == result.verdict


def test_guards_that_only_read_the_arguments_still_allow():
    sent: list[tuple[str, int]] = []
    out = _app([limit], sent).invoke({"messages": [HumanMessage("pay")]}, {"configurable": {"thread_id": "t"}})
    assert sent == [("bob", 50)] and _tool_message(out).artifact["vfa"]["outcome"] == "committed"
