"""A handle stands wherever its value fits: an amount's handle passed to `amount: int`.

Before, the guard node validated the call as written, so the handle's text ("«amount:…»") failed an
`int` argument and the call was refused: a private amount could be read by handle but never paid, and a
plan-then-execute graph rejected every plan holding one (its plan check also judged the handle's text).
Now an argument holding a handle is validated on the value behind it (`Proposal.by_value`): the journal,
the labels and the privacy guard keep the handle, the effect and the guards that judge values get the
validated value.
"""

from __future__ import annotations

import re
from typing import Any

from _turns import by_step
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from graphs.plan_execute import PLAN_GUARD, plan_execute
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"
HANDLE = re.compile(r"«[a-z0-9_]+:[0-9a-f]{16}»")


class Bank(BaseModel):
    balance: int = 500


def _tools(paid: list[Any], amount: Any = "120", untrusted: tuple[str, ...] = ()) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["amount", "payee"], untrusted=list(untrusted), kind="invoice")
    def get_invoice() -> dict:
        """The open invoice (its amount as the billing system writes it: text)."""
        return {"payee": "Landlord Ltd", "amount": amount}

    @privacy_sink(internal=["amount"], authority=["amount"])
    @privacy_source()
    @effect
    @requires("amount <= state.balance", state=Bank)
    def transfer(amount: int) -> str:
        """Pay out of the user's account."""
        paid.append(amount)
        return "ok"

    return [get_invoice, transfer]


def _rule(field: str = "amount"):
    def transfer_by_handle(tms: list[ToolMessage]) -> Any:
        handles = dict(re.findall(r'"(\w+)": "(«[^»]+»)"', tms[-1].content))
        return ("transfer", {"amount": handles[field]})
    return by_step([("get_invoice", {}), transfer_by_handle])


def _agent(paid: list[Any], *, field: str = "amount", amount: Any = "120", journal: Any = None,
           flow: Any = None, untrusted: tuple[str, ...] = ()) -> Agent:
    flow = flow or PrivacyFlow(PrivacyPolicy.of(ME), secret=b"typed-handles")
    return Agent(ScriptedModel(rule=_rule(field)), _tools(paid, amount, untrusted), guards=[flow.guard()], flow=flow,
                 world=lambda: Bank(), journal=journal or EffectJournal())


def _run(app: Any, thread: str = "t") -> list[Any]:
    out = app.invoke({"messages": [HumanMessage("pay the open invoice")]}, {"configurable": {"thread_id": thread}})
    return out["messages"]


def test_an_amounts_handle_pays_the_amount_as_the_tool_declares_it():
    paid: list[Any] = []
    journal = EffectJournal()
    messages = _run(_agent(paid, journal=journal).compile())
    assert paid == [120] and type(paid[0]) is int, messages  # validated on its value: the text "120" is the int 120
    started = [e for e in journal.entries("t") if e.tool == "transfer" and e.kind == "started"]
    assert started and HANDLE.fullmatch(started[0].data["args"]["amount"]), started  # journaled as written


def test_a_handle_whose_value_does_not_fit_is_refused_without_its_value():
    paid: list[Any] = []
    messages = _run(_agent(paid, field="payee").compile())
    refusal = [m for m in messages if isinstance(m, ToolMessage) and m.name == "transfer"]
    assert paid == [] and refusal and refusal[0].status == "error", messages
    assert "valid int" in refusal[0].content and "Landlord" not in refusal[0].content, refusal[0].content


def test_whether_a_value_fits_is_not_told_when_the_privacy_guard_denies_the_call():
    # the schema refuses a value that does not fit after the guards judged the call as written: a
    # call the privacy guard denies says nothing of the value (a text where a number belongs)
    paid: list[Any] = []
    messages = _run(_agent(paid, field="payee", untrusted=("payee",)).compile())
    refusal = [m for m in messages if isinstance(m, ToolMessage) and m.name == "transfer"]
    assert paid == [] and refusal and "guard 'privacy'" in refusal[0].content, messages
    assert "integer" not in refusal[0].content, refusal[0].content


def test_a_guard_judging_values_judges_the_amount_behind_the_handle():
    paid: list[Any] = []
    messages = _run(_agent(paid, amount="900").compile())  # over the balance of 500
    refusal = [m for m in messages if isinstance(m, ToolMessage) and m.name == "transfer"]
    assert paid == [] and refusal and "amount <= state.balance" in refusal[0].content, messages
    assert "900" not in refusal[0].content and "500" not in refusal[0].content, refusal[0].content


def test_a_plan_holding_an_amounts_handle_is_verified_on_the_amount():
    paid: list[Any] = []
    _run(plan_execute(_agent(paid), max_replans=0).compile(checkpointer=InMemorySaver()))
    assert paid == [120]


def test_a_plan_over_the_balance_is_rejected_by_the_plan_check_without_the_values():
    paid: list[Any] = []
    messages = _run(plan_execute(_agent(paid, amount="900"), max_replans=0).compile(checkpointer=InMemorySaver()))
    rejected = [m for m in messages if isinstance(m, ToolMessage) and m.artifact and m.artifact.get("stage") == "plan"]
    assert paid == [] and rejected, messages
    assert f"guard {PLAN_GUARD!r}" in rejected[0].content and "900" not in rejected[0].content, rejected[0].content


def test_a_restarted_flow_takes_up_the_threads_handles_before_validating_on_them():
    paid: list[Any] = []
    journal, saver = EffectJournal(), InMemorySaver()
    first = _agent(paid, journal=journal)
    config = {"configurable": {"thread_id": "t"}}
    # the first process reads the invoice and stops before the model's next turn
    first.compile(checkpointer=saver, interrupt_before=["agent"]).invoke(
        {"messages": [HumanMessage("pay the open invoice")]}, config)
    first.compile(checkpointer=saver, interrupt_after=["tools"]).invoke(None, config)
    # a new process: a new flow under the same secret and journal takes the thread up from the journal
    again = _agent(paid, journal=journal, flow=PrivacyFlow(PrivacyPolicy.of(ME), secret=b"typed-handles"))
    again.compile(checkpointer=saver).invoke(None, config)
    assert paid == [120]


def test_the_history_holds_a_payment_by_handle_as_the_value_it_paid():
    # a pay-once guard compares values with values (docs/privacy.md): the history validates a commit's
    # arguments as the call was validated, on the values behind its handles
    from vfa import ALLOW, Deny, guard

    paid: list[Any] = []

    @guard
    def once(p: Any, c: Any) -> Any:
        if p.tool == "transfer" and any(r.tool == "transfer" and r.args == p.args for r in c.history):
            return Deny(reason="this amount was already paid on this thread")
        return ALLOW

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_invoice", {})
        if turn == 1:
            handle = re.search(r'"amount": "(«[^»]+»)"', [m for m in messages if isinstance(m, ToolMessage)][0].content)
            return ("transfer", {"amount": handle.group(1)})
        if turn == 2:
            return ("transfer", {"amount": 120})  # the same amount written out: the same payment
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"typed-handles")
    agent = Agent(ScriptedModel(rule=rule), _tools(paid), guards=[flow.guard(), once], flow=flow,
                  world=lambda: Bank(), journal=EffectJournal())
    _run(agent.compile())
    assert paid == [120]
