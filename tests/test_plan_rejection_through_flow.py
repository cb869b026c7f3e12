"""Red team 77: with a privacy flow, a plan rejection shows the model the world values a guard denial withholds.

Guarantee (docs/privacy.md, "Denials"): "with a flow, any guard's reason (a precondition comparing an amount
with a balance, say) is shown with every token holding a digit or an "@" (an amount, an id, a date,
an address) withheld", so a denial never tells the model a world value (the balance) or confirms a
guess; the guard node does so through `flow.observe_denial`.

How it breaks: `graphs.plan_execute` verifies the model's whole plan before any step runs and, when
it can fail, answers every call with a ToolMessage built directly from the verdict: `f"{reason}.
Evidence: {json.dumps(evidence)}"` (graphs/plan_execute.py:96-100). That text never goes through the
agent's flow (`observe_denial`) nor its artifact filtering, so the model reads "from the initial state
{'balance': 73519} ... 99999 is greater than 73519" and the counterexample `{"state": {"balance":
73519}}`, where the same precondition denied by the guard node reads `‹withheld›`. The model can also
binary-search a private balance by proposing plans. (The plan check also judges the arguments as
written, handles and all, unlike the node's guards since red team 75; the node re-checks each step.)

Fix: in `check_plan`, when `agent.guard_node.flow` has `observe_denial`, show the model the flow's text
(e.g. build the ToolMessage with `GuardNode._denial(Proposal(...), verdict)`, which applies
`observe_denial` and strips the artifact to the shown text), and judge the plan on
`flow.values(...)` of each step's arguments.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import plan_execute
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"
BALANCE = 73519


class Bank(BaseModel):
    balance: int = BALANCE


@privacy_sink(internal=["amount"], authority=["amount"])
@privacy_source()
@effect
@requires("amount <= state.balance", state=Bank)
def transfer(amount: int) -> str:
    """Transfer money out of the user's account."""
    return "ok"


def _shown(app) -> list[str]:
    out = app.invoke({"messages": [HumanMessage("transfer 99999")]}, {"configurable": {"thread_id": "t"}})
    return [m.content for m in out["messages"] if isinstance(m, ToolMessage)]


def _agent() -> Agent:
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt77")
    return Agent(ScriptedModel([("transfer", {"amount": 99999})]), [transfer], guards=[flow.guard()], flow=flow,
                 world=lambda: Bank(), journal=EffectJournal())


def test_the_guard_node_withholds_the_balance():  # the reference behaviour (passes)
    shown = _shown(_agent().compile())
    assert shown and all(str(BALANCE) not in s for s in shown), shown


def test_a_rejected_plan_withholds_the_balance_as_the_guard_node_does():
    shown = _shown(plan_execute(_agent(), max_replans=0).compile(checkpointer=InMemorySaver()))
    assert shown and all(str(BALANCE) not in s for s in shown), f"the model reads the balance: {shown}"
