"""Under `graphs.plan_execute`, a step a person edits is verified again with the rest of the plan.

What must hold (docs/kernel.md, "People in the loop"; `tests/test_plan_edit_verified_again.py`): before a step a
person edited commits, the plan as edited (that step and the plan's steps after it, from the current
world) verifies, else the edit is refused (denied by `verify_plan`, the model told why, nothing of it
committed, the plan's later steps not run). An edit that keeps the plan valid commits, and the plan goes
on; the last step's edit is judged with nothing after it; an edit naming another tool is refused; with
the world not pinned the whole plan, as edited, is verified under `assume`; an edit holding a handle is
judged on the value behind it and refused without showing it. The model's own calls, as the plan
proposed them, are not verified again step by step: one solver run per plan.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from pydantic import BaseModel

from graphs.plan_execute import PLAN_GUARD, plan_execute
from guards import Policy, PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, Escalate, FunctionGuard, effect
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


class Bank(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int = 0


def _bank(world: Bank, committed: list[tuple[str, int]], plan: list[Any], ask_about: str = "bob",
          **options: Any) -> Any:
    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today")
    @bank.ensures("state.balance -= amount", "state.spent_today += amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        world.spent_today += amount
        committed.append((to, amount))
        return f"sent {amount} to {to}"

    @effect
    def note(text: str) -> str:
        """Write a note."""
        committed.append(("note", len(text)))
        return "noted"

    ask = FunctionGuard(lambda p, ctx: Escalate(question=f"pay {ask_about}?") if p.args.get("to") == ask_about
                        else ALLOW, name="ask")
    agent = Agent(ScriptedModel([plan, "done"]), [transfer, note], world=lambda: world, guards=[ask])
    return plan_execute(agent, max_replans=0, **options).compile(checkpointer=InMemorySaver())


def _answer(app: Any, out: dict[str, Any], first: Any) -> dict[str, Any]:
    """Answer the first question with `first`, and any later one (the edited call asked again) with approve."""
    answer = first
    for _ in range(4):
        if not out.get("__interrupt__"):
            break
        q = out["__interrupt__"][0]
        out = app.invoke(Command(resume={q.id: answer}), CFG)
        answer = {"type": "approve"}
    assert not out.get("__interrupt__"), out["__interrupt__"]
    return out


def _by_call(out: dict[str, Any]) -> dict[str, ToolMessage]:
    return {m.tool_call_id: m for m in out["messages"] if isinstance(m, ToolMessage)}


THREE = [("transfer", {"to": "alice", "amount": 100}), ("transfer", {"to": "bob", "amount": 100}),
         ("transfer", {"to": "carol", "amount": 100})]


def test_an_edit_that_breaks_the_plan_is_refused_and_the_model_told_why() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE)
    out = _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
                  {"type": "edit", "args": {"to": "bob", "amount": 400}})
    assert committed == [("alice", 100)] and world.spent_today == 100, committed
    plan = next(m for m in out["messages"] if isinstance(m, AIMessage) and m.tool_calls)
    second, third = (_by_call(out)[c["id"]] for c in plan.tool_calls[1:])
    assert second.status == "error" and f"guard {PLAN_GUARD!r}" in second.content, second.content
    assert "edit" in second.content and "daily_limit" in second.content, second.content
    assert third.status == "error" and "not run" in third.content, third.content


def test_an_edit_that_keeps_the_plan_valid_commits_and_the_plan_goes_on() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE)
    _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
            {"type": "edit", "args": {"to": "bob", "amount": 300}})
    assert committed == [("alice", 100), ("bob", 300), ("carol", 100)], committed


@pytest.mark.parametrize(("amount", "committed_after"), [(300, [("bob", 300)]), (500, [])])
def test_an_edit_of_the_last_step_is_judged_with_nothing_after_it(amount: int, committed_after: list[Any]) -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    plan = [("transfer", {"to": "alice", "amount": 100}), ("transfer", {"to": "bob", "amount": 100})]
    app = _bank(world, committed, plan)
    out = _answer(app, app.invoke({"messages": [HumanMessage("pay both")]}, CFG),
                  {"type": "edit", "args": {"to": "bob", "amount": amount}})
    assert committed == [("alice", 100), *committed_after], committed
    last = _by_call(out)[next(m for m in out["messages"] if isinstance(m, AIMessage) and m.tool_calls).tool_calls[1]["id"]]
    assert (last.status == "error") == (not committed_after), last.content


def test_an_edit_naming_another_tool_is_refused_and_nothing_of_it_runs() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE)
    out = _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
                  {"type": "edit", "edited_action": {"name": "note", "args": {"text": "pay bob later"}}})
    assert committed == [("alice", 100)], committed
    plan = next(m for m in out["messages"] if isinstance(m, AIMessage) and m.tool_calls)
    second = _by_call(out)[plan.tool_calls[1]["id"]]
    assert second.status == "error" and "another tool" in second.content, second.content


def test_the_models_own_steps_are_not_verified_again(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules["graphs.plan_execute"]
    calls: list[int] = []
    real = module.verify_plan

    def counted(steps: Any, *args: Any, **kwargs: Any) -> Any:
        if steps:  # (the empty plan plan_execute checks its assumptions with when it is built: no step's)
            calls.append(len(steps))
        return real(steps, *args, **kwargs)

    monkeypatch.setattr(module, "verify_plan", counted)
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE, ask_about="nobody")
    out = app.invoke({"messages": [HumanMessage("pay all three")]}, CFG)
    assert committed == [("alice", 100), ("bob", 100), ("carol", 100)], out["messages"]
    assert calls == [3], calls  # the plan, once; no step verified again on its own
    calls.clear()
    world2, committed2 = Bank(balance=1000, daily_limit=500), []
    app = _bank(world2, committed2, THREE)  # bob's step asked about and approved as proposed
    _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG), {"type": "approve"})
    assert committed2 == [("alice", 100), ("bob", 100), ("carol", 100)] and calls == [3], calls
    calls.clear()
    world3, committed3 = Bank(balance=1000, daily_limit=500), []
    app = _bank(world3, committed3, THREE)
    _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
            {"type": "edit", "args": {"to": "bob", "amount": 300}})
    assert committed3 == [("alice", 100), ("bob", 300), ("carol", 100)], committed3
    assert calls[0] == 3 and calls[1:] and all(n == 2 for n in calls[1:]), calls  # the edit: from it on


def test_unpinned_the_whole_plan_as_edited_is_verified_under_the_assumptions() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE, pin_world=False,
                assume=["state.balance >= 1000", "state.daily_limit == 500", "state.spent_today == 0"])
    _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
            {"type": "edit", "args": {"to": "bob", "amount": 400}})
    assert committed == [("alice", 100)], committed
    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE, pin_world=False,
                assume=["state.balance >= 1000", "state.daily_limit == 500", "state.spent_today == 0"])
    _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
            {"type": "edit", "args": {"to": "bob", "amount": 300}})
    assert committed == [("alice", 100), ("bob", 300), ("carol", 100)], committed


# -- through a privacy flow: an edit holding a handle is judged on its value, and told without it ---------

ME = "me@home.example"


class Account(BaseModel):
    balance: int
    payees: set[str] = {"alice"}


def _flow_app(payee: str, balance: int, paid: list[Any]) -> Any:
    account = Account(balance=balance)
    policy = Policy(Account)

    @privacy_sink()
    @privacy_source(private=["payee"], kind="invoice")
    def get_invoice() -> dict:
        """The open invoice."""
        return {"payee": payee, "due": "soon"}

    @privacy_sink(internal=["to", "amount"], authority=["amount"])
    @privacy_source()
    @effect
    @policy.requires("to in state.payees or amount <= 100", "amount <= state.balance")
    @policy.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        """Pay someone."""
        account.balance -= amount
        paid.append((to, amount))
        return "ok"

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_invoice", {})
        if turn == 1:  # the plan: two small payments to the invoice's payee, by its handle
            handle = json.loads([m for m in messages if isinstance(m, ToolMessage)][-1].content)["payee"]
            return [("transfer", {"to": handle, "amount": 50}), ("transfer", {"to": handle, "amount": 60})]
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"plan-edit")
    ask = FunctionGuard(lambda p, ctx: Escalate(question="pay?") if p.args.get("amount") == 50 else ALLOW, name="ask")
    agent = Agent(ScriptedModel(rule=rule), [get_invoice, transfer], guards=[flow.guard(), ask], flow=flow,
                  world=lambda: account)
    return plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver())


def _edit_amount(app: Any, amount: int) -> dict[str, Any]:
    out = app.invoke({"messages": [HumanMessage("pay the invoice, 50 then 60")]}, CFG)
    plan = next(m for m in reversed(out["messages"]) if isinstance(m, AIMessage) and m.tool_calls)
    handle = plan.tool_calls[0]["args"]["to"]
    assert "«payee:" in handle, handle
    return _answer(app, out, {"type": "edit", "args": {"to": handle, "amount": amount}})


def test_an_edit_holding_a_handle_is_verified_on_its_value() -> None:
    paid: list[Any] = []
    # alice is a payee: the plan as edited verifies on the value (its handle's text is no payee, and 500 > 100)
    _edit_amount(_flow_app("alice", 1000, paid), 500)
    assert paid == [("alice", 500), ("alice", 60)], paid


def test_an_edit_refused_on_a_handles_value_does_not_show_it() -> None:
    paid: list[Any] = []
    # 100 fits on its own (zebulon is no payee, 100 <= 100, within 150); the second step's 60 then does not
    out = _edit_amount(_flow_app("zebulon", 150, paid), 100)
    assert paid == [], paid
    refused = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "transfer"]
    assert refused and f"guard {PLAN_GUARD!r}" in refused[0].content, [m.content for m in refused]
    seen = [str(m.content) for m in refused] + [json.dumps(m.artifact, default=str) for m in refused]
    assert not any("zebulon" in s for s in seen), refused[0].content


# -- the plan's steps node: the agent's node left as it is, its settings read through ----------------------


def test_the_agents_own_node_is_left_as_it_is_and_its_settings_hold_for_the_plans_steps() -> None:
    world, committed = Bank(balance=1000, daily_limit=500), []
    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        committed.append((to, amount))
        return "sent"

    ask = FunctionGuard(lambda p, ctx: Escalate(question="pay bob?") if p.args.get("to") == "bob" else ALLOW, name="ask")
    agent = Agent(ScriptedModel([THREE, "done"]), [transfer], world=lambda: world, guards=[ask])
    app = plan_execute(agent, max_replans=0).compile(checkpointer=InMemorySaver())
    assert [g.name for g in agent.guard_node.chain.guards] == ["ask"]  # no plan guard in the agent's own chain
    agent.guard_node.max_edit_rounds = 0  # changed after the plan graph was built: it holds for its steps
    out = _answer(app, app.invoke({"messages": [HumanMessage("pay all three")]}, CFG),
                  {"type": "edit", "args": {"to": "bob", "amount": 300}})
    assert committed == [("alice", 100)], committed
    plan = next(m for m in out["messages"] if isinstance(m, AIMessage) and m.tool_calls)
    assert _by_call(out)[plan.tool_calls[1]["id"]].status == "error"


def test_an_edit_that_breaks_the_plan_is_refused_under_ainvoke() -> None:
    import asyncio

    world, committed = Bank(balance=1000, daily_limit=500), []
    app = _bank(world, committed, THREE)

    async def run() -> None:
        out = await app.ainvoke({"messages": [HumanMessage("pay all three")]}, CFG)
        q = out["__interrupt__"][0]
        out = await app.ainvoke(Command(resume={q.id: {"type": "edit", "args": {"to": "bob", "amount": 400}}}), CFG)
        assert not out.get("__interrupt__"), out["__interrupt__"]

    asyncio.run(run())
    assert committed == [("alice", 100)], committed
