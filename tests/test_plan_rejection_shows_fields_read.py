"""Red team 143: a plan rejection shows the model every field of the pinned world, not what the failing clause reads.

docs/privacy.md "Denials": "A denial tells the model which rule failed and where, never a value it could use".
The guard node's precondition denial shows the values its clause reads (`amount`, `state.balance`,
digits withheld). `verify_plan` pins the whole current world and writes its counterexample as "a whole
initial state" (and the trace as the whole state before each step); `plan_execute` shows it to the
model. With `Bank(balance=73519, owner="Zebulon Quartermaine", secret_word="marmalade")` and a plan
`transfer(amount=80000)`, the model reads `'owner': 'Zebulon Quartermaine', ... 'secret_word':
'marmalade'` three times over, fields no precondition of any tool reads, which the same call through the
guard node never shows. (Borderline: docs/privacy.md "Missed" lists "a private value a guard's reason quotes in
words without a digit or an '@' (a name)"; here the quote is of the whole world, not of what was judged.)
Fix: show the model the counterexample and trace restricted to the state fields the plan's clauses and
updates read (`verify_plan` knows them: the preconditions' and postconditions' paths).

Fixed: `verify_plan`'s counterexample, trace and explanation show the state fields the plan's assumptions,
preconditions (up to the failing step) and updates read, never the rest of the pinned world.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import Policy, PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


class Bank(BaseModel):
    balance: int = 73519
    owner: str = "Zebulon Quartermaine"
    secret_word: str = "marmalade"


bank = Policy(Bank)


@privacy_sink(internal=["amount"], authority=["amount"])
@privacy_source()
@effect
@bank.requires("amount <= state.balance")
@bank.ensures("state.balance -= amount")
def transfer(amount: int) -> str:
    """Transfer money."""
    return "ok"


def _shown(planned: bool) -> list[str]:
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt143")
    agent = Agent(ScriptedModel([("transfer", {"amount": 80000}), "done"]), [transfer], guards=[flow.guard()],
                  flow=flow, world=lambda: Bank(), journal=EffectJournal())
    app = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver()) if planned else agent.compile()
    out = app.invoke({"messages": [HumanMessage("transfer 80000")]}, {"configurable": {"thread_id": "t"}})
    return [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage)]


def test_the_guard_node_shows_only_what_the_clause_reads():  # the reference behaviour (passes)
    shown = _shown(planned=False)
    assert shown and not any("marmalade" in s or "Quartermaine" in s for s in shown), shown


def test_a_plan_rejection_shows_no_world_field_no_clause_reads():
    shown = _shown(planned=True)
    assert shown and "verify_plan" in shown[0]
    assert not any("marmalade" in s or "Quartermaine" in s for s in shown), shown[0]
