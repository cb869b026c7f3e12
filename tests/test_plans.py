"""Plans verified before step one: counterexamples at the first failing step, symbols, malformed plans, time-outs."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from guards import Policy, Step, Sym, verify_plan
from vfa import GuardContext, PolicyError, Proposal, ToolSpec, effect


class Bank(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int = 0
    payees: set[str] = set()


bank = Policy(Bank)


@effect
@bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today",
               "to in state.payees or amount <= 100")
@bank.ensures("state.balance -= amount", "state.spent_today += amount")
def transfer(to: str, amount: int) -> str:
    return "sent"


@effect
@bank.requires("len(name) > 0")
@bank.ensures("state.payees |= {name}")
def add_payee(name: str) -> str:
    return "added"


def balance() -> int:
    """A read-only tool: no postcondition, so the state is unchanged (the frame rule)."""
    return 0


TOOLS = [transfer, add_payee, balance]
PLAN = [Step("transfer", to="alice", amount=300), Step("add_payee", name="bob"), Step("balance"),
        Step("transfer", to="bob", amount=Sym("x"))]
ASSUME = ["state.balance >= 1000", "state.spent_today == 0", "state.daily_limit >= 500", "'alice' in state.payees",
          "0 < x <= 400"]


def run_concretely(plan: list[Step], state: Bank, symbols: dict) -> int | None:
    """Execute the plan's checks with the run-time guards and the declared updates; the first denied step."""
    specs = {ToolSpec.of(t).name: ToolSpec.of(t) for t in TOOLS}
    for i, step in enumerate(plan):
        args = {k: symbols[v.name] if isinstance(v, Sym) else v for k, v in step.args.items()}
        spec = specs[step.tool]
        for g in spec.guards:
            if g.check(Proposal(call_id=str(i), tool=step.tool, args=args), GuardContext(world=state)).kind != "allow":
                return i
        if step.tool == "transfer":
            state = state.model_copy(update={"balance": state.balance - args["amount"],
                                             "spent_today": state.spent_today + args["amount"]})
        elif step.tool == "add_payee":
            state = state.model_copy(update={"payees": state.payees | {args["name"]}})
    return None


def test_plan_failing_only_at_step_4_for_some_initial_states() -> None:
    r = verify_plan(PLAN, TOOLS, assume=ASSUME)
    assert not r.ok and not r.undecided
    assert (r.failed_step, r.tool, r.clause) == (3, "transfer", "amount <= state.daily_limit - state.spent_today")
    initial, x = r.counterexample["state"], r.counterexample["symbols"]["x"]
    assert initial["balance"] >= 1000 and initial["daily_limit"] >= 500 and "alice" in initial["payees"]
    # the counterexample is real: executing the plan from it, steps 1-3 pass and step 4 is denied
    assert run_concretely(PLAN, Bank(**initial), {"x": x}) == 3
    assert len(r.trace) == 4 and r.trace[1]["spent_today"] == 300
    assert "step 4 of 4 (transfer)" in r.explanation
    # and for other initial states the same plan goes through
    assert run_concretely(PLAN, Bank(balance=2000, daily_limit=800, payees={"alice"}), {"x": 400}) is None
    v = r.verdict()
    assert v.kind == "deny" and v.evidence["failed_step"] == 3
    json.dumps(v.evidence)


def test_plan_failing_at_step_3_for_some_initial_states() -> None:
    plan = [Step("transfer", to="alice", amount=200), Step("add_payee", name="bob"),
            Step("transfer", to="bob", amount=Sym("x"))]
    r = verify_plan(plan, TOOLS, assume=["state.balance >= 300", "state.spent_today == 0", "'alice' in state.payees",
                                         "state.daily_limit >= 1000", "50 <= x <= 150"])
    assert (r.ok, r.failed_step, r.clause) == (False, 2, "0 < amount <= state.balance")
    cex = r.counterexample
    assert cex["state"]["balance"] - 200 < cex["symbols"]["x"]  # too little left after step 1
    assert run_concretely(plan, Bank(**cex["state"]), cex["symbols"]) == 2


def test_verified_plan() -> None:
    r = verify_plan(PLAN, TOOLS, assume=[*ASSUME[:2], "state.daily_limit >= 700", *ASSUME[3:]])
    assert r.ok and r.failed_step is None and r.verdict().kind == "allow"


def test_first_step_fails_when_the_assumption_is_too_weak() -> None:
    r = verify_plan([Step("transfer", to="alice", amount=50)], TOOLS, assume="state.daily_limit >= 100")
    assert (r.ok, r.failed_step, r.clause) == (False, 0, "0 < amount <= state.balance")
    assert r.counterexample["state"]["balance"] < 50


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([Step("wire", amount=1)], "unknown tool 'wire'"),
        ([Step("transfer", to="a", amount=1, memo="x")], "unknown argument 'memo'"),
        ([Step("transfer", to="a")], "omits argument 'amount'"),
        ([Step("transfer", to="a", amount="lots")], "is not a valid int"),
        ([Step("transfer", to=Sym("x"), amount=Sym("x"))], "symbol 'x' is used as"),
    ],
)
def test_malformed_plans_are_rejected_not_raised(plan: list[Step], message: str) -> None:
    r = verify_plan(plan, TOOLS)
    assert not r.ok and message in r.explanation and r.verdict().kind == "deny"


def test_plans_as_model_output_dicts_and_tuples() -> None:
    plan = [{"tool": "add_payee", "args": {"name": "carol"}}, ("transfer", {"to": "carol", "amount": 150})]
    assert verify_plan(plan, TOOLS, assume=["state.balance >= 150", "state.daily_limit - state.spent_today >= 150"]).ok


def test_malformed_assumption_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="unknown name `y`"):
        verify_plan(PLAN, TOOLS, assume="y > 0")


def test_z3_time_out_leaves_the_plan_unverified() -> None:
    class Cubes(BaseModel):
        c: int

    @effect
    @Policy(Cubes).requires("a * a * a + b * b * b != state.c * state.c * state.c")
    def cube(a: int, b: int) -> str:
        return ""

    r = verify_plan([Step("cube", a=Sym("a"), b=Sym("b"))], [cube], assume=["a > 0", "b > 0", "state.c > 0"],
                    timeout_ms=50)
    assert not r.ok and r.undecided and r.failed_step == 0
    assert r.verdict().kind == "deny" and "could not decide" in r.verdict().reason


def test_payments_example_shows_denial_lint_error_and_rejected_plan() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "examples" / "payments.py")], capture_output=True, text=True,
                         timeout=60, cwd=root)
    assert out.returncode == 0, out.stderr
    assert "precondition `0 < amount <= state.balance` fails" in out.stdout and '"counterexample"' in out.stdout
    assert "PolicyError: the precondition of 'refund' can never hold" in out.stdout
    assert "ok=False, failed_step=2 (step 3, transfer)" in out.stdout and "ok=True" in out.stdout


def test_plan_verified_against_the_concrete_current_world() -> None:
    world = Bank(balance=500, daily_limit=400, payees={"alice"})
    plan = [Step("transfer", to="alice", amount=300), Step("transfer", to="alice", amount=Sym("x"))]
    r = verify_plan(plan, TOOLS, initial=world, assume="0 < x <= 150")
    assert (r.ok, r.failed_step, r.clause) == (False, 1, "amount <= state.daily_limit - state.spent_today")
    assert r.counterexample["state"] == {"balance": 500, "daily_limit": 400, "payees": ["alice"], "spent_today": 0}
    assert 100 < r.counterexample["symbols"]["x"] <= 150
    assert verify_plan(plan, TOOLS, initial=world, assume="0 < x <= 100").ok
