"""A payments agent with Z3 preconditions: a denial with its counterexample, a policy error caught at
compile time, and a plan rejected before its first step.

    python examples/payments.py

Runs offline: a `ScriptedModel` plays the LLM.
"""

from __future__ import annotations

import json

from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel, Field

from guards import Policy, Step, Sym, verify_plan
from vfa import Agent, PolicyError, effect
from vfa.testing import ScriptedModel


class Limits(BaseModel):
    daily: int
    spent_today: int = 0


class Bank(BaseModel):
    balance: int = Field(ge=0)
    limits: Limits
    payees: set[str] = set()


bank_state = Bank(balance=120, limits=Limits(daily=1000), payees={"alice"})
bank = Policy(Bank)


@effect
@bank.requires("0 < amount <= state.balance", "amount <= state.limits.daily - state.limits.spent_today",
               "to in state.payees or amount <= 100")
@bank.ensures("state.balance -= amount", "state.limits.spent_today += amount")
def transfer(to: str, amount: int) -> str:
    """Send `amount` to `to`."""
    bank_state.balance -= amount
    bank_state.limits.spent_today += amount
    return f"sent {amount} to {to}"


@effect
@bank.requires("len(name) > 0", "name not in state.payees")
@bank.ensures("state.payees |= {name}")
def add_payee(name: str) -> str:
    """Add a payee."""
    bank_state.payees.add(name)
    return f"added {name}"


def denial_with_counterexample() -> None:
    print("1. A model proposes a transfer the precondition forbids")
    model = ScriptedModel([("transfer", {"to": "mallory", "amount": 500}), "ok"])
    app = Agent(model, [transfer, add_payee], world=lambda: bank_state).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "pay mallory 500")]}, {"configurable": {"thread_id": "t1"}})
    print("  ", out["messages"][2].content)
    print(f"   balance is still {bank_state.balance}\n")


def lint_error_at_compile_time() -> None:
    print("2. A policy that can never hold is a compile error, before any agent runs")

    @effect
    @bank.requires("amount > state.balance", "amount + 5 <= state.balance")  # a typo'd comparison
    def refund(amount: int) -> str:
        return "refunded"

    try:
        Agent(ScriptedModel([]), [transfer, refund], world=lambda: bank_state).compile()
    except PolicyError as exc:
        print(f"   PolicyError: {exc}")
        print(f"   unsat core: {list(exc.clauses)}\n")


def plan_rejected_before_step_one() -> None:
    print("3. A plan is verified for every initial state assumed, before its first step")
    plan = [Step("transfer", to="alice", amount=300), Step("add_payee", name="bob"),
            Step("transfer", to="bob", amount=Sym("x"))]
    assume = ["state.balance >= 1000", "state.limits.daily >= 500", "state.limits.spent_today == 0",
              "'alice' in state.payees", "'bob' not in state.payees", "0 < x <= 400"]
    result = verify_plan(plan, [transfer, add_payee], assume=assume)
    print(f"   ok={result.ok}, failed_step={result.failed_step} (step {result.failed_step + 1}, {result.tool}), clause `{result.clause}`")
    print(f"   counterexample: {json.dumps(result.counterexample)}")
    print(f"   {result.explanation}")
    fixed = verify_plan(plan, [transfer, add_payee], assume=[*assume, "state.limits.daily >= 700"])
    print(f"   with a daily limit of at least 700 assumed: ok={fixed.ok}")


if __name__ == "__main__":
    denial_with_counterexample()
    lint_error_at_compile_time()
    plan_rejected_before_step_one()
