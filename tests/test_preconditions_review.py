"""Regression tests for the reviewed soundness bugs of the Z3 precondition guards (fast path vs Z3 reference)."""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from guards._preconditions import Precondition, PreconditionGuard
from guards._reference import ReferenceCheck
from guards._sorts import INT, REAL, STR, Sort
from vfa import GuardContext, Proposal


class Tier(enum.Enum):
    GOLD = "gold"
    BASIC = "basic"


class W(BaseModel):
    model_config = ConfigDict(use_enum_values=True)
    payees: set[str]
    blocked: set[Tier]
    ids: list[int]
    tier: Tier


def verdicts(clauses, arg_sorts, args, world=None, state=None, bounds=None):
    """(fast guard, z3 guard) verdict kinds, after checking fast path and reference agree."""
    pre = Precondition(clauses, tool="t", args=arg_sorts, state=state, bounds=bounds)
    out = []
    for backend in ("fast", "z3"):
        v = PreconditionGuard(pre, backend=backend).check(Proposal(call_id="c", tool="t", args=args),
                                                          GuardContext(world=world))
        out.append(v.kind)
    return tuple(out)


DICT_W = {"payees": [], "blocked": [], "ids": [], "tier": "gold"}


@pytest.mark.parametrize("clause,args,world", [
    ("to in state.payees", {"to": "ali"}, {**DICT_W, "payees": "alice,bob"}),  # a str is not a set
    ("to not in state.payees", {"to": "x"}, {**DICT_W, "payees": {"y": "x"}}),  # nor a dict
    ("to not in state.payees", {"to": "x"}, {**DICT_W, "payees": None}),
    ("n not in state.ids", {"n": 5}, {**DICT_W, "ids": ["5"]}),  # elements checked
    ("n not in state.ids", {"n": 5}, {**DICT_W, "ids": [5.5]}),
    ("n not in state.ids", {"n": 1}, {**DICT_W, "ids": [True]}),  # a bool is not an int
])
def test_bad_set_fields_deny_in_both_backends(clause, args, world) -> None:
    sorts = {"to": STR, "n": INT}
    assert verdicts([clause], {k: sorts[k] for k in args}, args, world, W) == ("deny", "deny")


def test_enum_sets_with_use_enum_values_hold_members() -> None:
    w = W(payees=set(), blocked={Tier.GOLD}, ids=[], tier=Tier.GOLD)
    assert w.blocked == {"gold"}  # raw values, as pydantic stores them
    E = Sort("enum", enum=Tier)
    assert verdicts(["t not in state.blocked"], {"t": E}, {"t": Tier.GOLD}, w, W) == ("deny", "deny")
    assert verdicts(["state.tier not in state.blocked"], {}, {}, w, W) == ("deny", "deny")
    assert verdicts(["t not in state.blocked"], {"t": E}, {"t": Tier.BASIC}, w, W) == ("allow", "allow")
    assert verdicts(["t not in state.blocked"], {"t": E}, {"t": "gold"}, w, W) == ("deny", "deny")


@pytest.mark.parametrize("value", ["5", 5.5, True, None])
def test_reference_does_not_coerce_scalars(value) -> None:
    pre = Precondition(["n <= 10"], tool="t", args={"n": INT})
    assert ReferenceCheck(pre)  # builds
    assert verdicts(["n <= 10"], {"n": INT}, {"n": value}) == ("deny", "deny")
    assert verdicts(["x <= 10"], {"x": REAL}, {"x": "5"}) == ("deny", "deny")


class Bounded(BaseModel):
    balance: int = Field(ge=0)
    tier: Literal["basic", "gold"] = "basic"


def test_declared_state_bounds_and_literal_domains_are_enforced_at_run_time() -> None:
    # lint treats them as facts, so a world breaking them is a deny, not a pass
    assert verdicts(["amount <= state.balance + 100"], {"amount": INT}, {"amount": 1}, {"balance": -30, "tier": "basic"},
                    Bounded) == ("deny", "deny")
    assert verdicts(["state.tier != 'gold'"], {}, {}, {"balance": 3, "tier": "platinum"}, Bounded) == ("deny", "deny")
    assert verdicts(["amount <= state.balance + 100"], {"amount": INT}, {"amount": 1}, {"balance": 0, "tier": "basic"},
                    Bounded) == ("allow", "allow")
    w = Bounded(balance=50)
    w.balance -= 80  # no validate_assignment: the model now breaks its own bound
    assert verdicts(["amount <= state.balance + 100"], {"amount": INT}, {"amount": 1}, w, Bounded) == ("deny", "deny")
    # argument bounds too
    assert verdicts(["amount <= 1000"], {"amount": INT}, {"amount": 200}, bounds={"amount": [("le", 100)]}) == (
        "deny", "deny")


@pytest.mark.parametrize("name", [
    "x(a, w):\n    return True\nimport os; os.environ['VFA_INJECTED'] = '1'\ndef y",
    "send-email", "tool with spaces", "ü\u2028'\"\\",
])
def test_tool_names_never_reach_generated_code(name, monkeypatch) -> None:
    import os

    from vfa import ToolSpec, effect

    from guards import requires

    monkeypatch.delenv("VFA_INJECTED", raising=False)

    @requires("amount <= 100")
    @effect(name=name)
    def pay(amount: int) -> str:
        return "ok"

    guard = ToolSpec.of(pay).guards[0]
    assert "VFA_INJECTED" not in os.environ
    for amount, kind in ((10**9, "deny"), (5, "allow")):
        assert guard.check(Proposal(call_id="c", tool=name, args={"amount": amount}), GuardContext()).kind == kind
    assert guard.precondition._declared.__code__.co_name == "check"
    assert "\n" not in guard.precondition._declared.__code__.co_filename


def test_langchain_tool_name_is_not_code() -> None:
    from langchain_core.tools import StructuredTool

    def f(amount: int) -> str:
        return "ok"

    t = StructuredTool.from_function(f, name="send(a, w):\n    return True\ndef z", description="d")
    g = PreconditionGuard.for_tool(t, "amount <= 100")
    assert g.check(Proposal(call_id="c", tool=t.name, args={"amount": 10**9}), GuardContext()).kind == "deny"


# -- verify_plan: assumptions must be satisfiable, postcondition clauses are proven ---------------------------------

class Bank8(BaseModel):
    balance: int = Field(ge=0)
    tier: Literal["basic", "gold"] = "basic"


def _withdraw8():
    from guards import Policy
    from vfa import effect

    bank = Policy(Bank8)

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def withdraw(amount: int) -> str:
        return "ok"

    return withdraw


@pytest.mark.parametrize("initial,assume", [
    ({"balance": -30, "tier": "basic"}, ()),  # a pinned world breaking Field(ge=0)
    ({"balance": 10, "tier": "platinum"}, ()),  # outside the Literal's values
    (Bank8(balance=10), ["state.balance >= 5000000"]),  # an assumption the pinned world contradicts
    (None, ["state.balance > 5 and state.balance < 3"]),  # a contradictory assumption
])
def test_inconsistent_assumptions_never_verify_a_plan(initial, assume) -> None:
    from guards import Step, verify_plan

    plan = [Step("withdraw", amount=10**6), Step("withdraw", amount=10**6)]
    r = verify_plan(plan, [_withdraw8()], initial=initial, assume=assume)
    assert not r.ok and "inconsistent" in r.explanation


def test_contradictory_symbol_assumption_never_verifies() -> None:
    from guards import Step, Sym, verify_plan

    r = verify_plan([Step("withdraw", amount=Sym("x"))], [_withdraw8()], assume=["x > 5 and x < 3"])
    assert not r.ok and "inconsistent" in r.explanation
    assert verify_plan([Step("withdraw", amount=Sym("x"))], [_withdraw8()],
                       assume=["0 < x <= 5", "state.balance >= 5"]).ok


def test_postcondition_clauses_are_proven_not_assumed() -> None:
    from guards import Policy, Step, verify_plan
    from vfa import effect

    class Bank(BaseModel):
        balance: int
        overdraft: int

    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance + state.overdraft")
    @bank.ensures("state.balance -= amount", "state.balance >= 0")  # a wrong guarantee
    def withdraw(amount: int) -> str:
        return "ok"

    r = verify_plan([Step("withdraw", amount=150), Step("withdraw", amount=10**9)], [withdraw],
                    initial=Bank(balance=100, overdraft=100))
    assert not r.ok and r.failed_step == 0 and r.clause == "state.balance >= 0"

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount", "state.balance >= 0")  # a true guarantee
    def pay(amount: int) -> str:
        return "ok"

    assert verify_plan([Step("pay", amount=50)], [pay], initial=Bank(balance=100, overdraft=0)).ok


def _bank_agent(script, world, extra_guards=(), **plan_options):
    from langgraph.checkpoint.memory import InMemorySaver

    from graphs.plan_execute import plan_execute
    from guards import Policy
    from vfa import Agent, effect
    from vfa.testing import ScriptedModel

    bank = Policy(PBank)
    committed = []

    @effect
    @bank.requires("0 < amount <= state.balance", "amount <= state.daily_limit - state.spent_today")
    @bank.ensures("state.balance -= amount", "state.spent_today += amount")
    def transfer(to: str, amount: int) -> str:
        """Send money."""
        world.balance -= amount
        world.spent_today += amount
        committed.append((to, amount))
        return "sent"

    guards = [g(transfer) for g in extra_guards]
    agent = Agent(ScriptedModel(script), [transfer], guards, world=lambda: world)
    app = plan_execute(agent, max_replans=0, **plan_options).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "go")]}, {"configurable": {"thread_id": "t"}})
    return out, committed


class PBank(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int = 0
    payees: set[str] = set()


def test_plan_execute_rejects_a_plan_whose_assumption_the_world_contradicts() -> None:
    world = PBank(balance=1000, daily_limit=400, payees={"alice"})  # today's limit is below the assumed one
    out, committed = _bank_agent([[("transfer", {"to": "alice", "amount": 300}),
                                   ("transfer", {"to": "bob", "amount": 300})], "done"], world,
                                 assume=["state.daily_limit >= 500"])
    assert committed == []  # rejected before step one, not half-run


# -- strings reach Z3 as code points, never as escape sequences ---------------------------------------------------------

@pytest.mark.parametrize("clause,value", [
    ("name != 'alice'", "\\u{61}lice"), ("len(name) <= 6", "\\u{61}lice"), ("name != 'A'", "\\u{41}"),
    ("len(name) <= 1", "\U0001F600"), ("name == 'a\\\\b'", "a\\b"), ("len(name) == 2", "\\\\"),
    ("name != 'x'", "\ud800"), ("len(name) >= 2", "\\x41"),
])
def test_string_escapes_mean_the_same_to_z3_and_python(clause, value) -> None:
    kinds = verdicts([clause], {"name": STR}, {"name": value})
    assert kinds[0] == kinds[1]


def test_strings_z3_cannot_represent_are_denied_by_both() -> None:
    assert verdicts(["name != 'x'"], {"name": STR}, {"name": "\U000E0001"}) == ("deny", "deny")


def test_z3_backend_does_not_decode_escapes_in_set_membership() -> None:
    class Bank(BaseModel):
        balance: int
        payees: set[str] = set()

    args = {"to": "\\u{61}lice", "amount": 5000}
    kinds = verdicts(["to in state.payees or amount <= 100"], {"to": STR, "amount": INT}, args,
                     Bank(balance=10**6, payees={"alice"}), Bank)
    assert kinds == ("deny", "deny")


def test_plan_args_reach_z3_as_code_points() -> None:
    from guards import Policy, Step, verify_plan
    from vfa import effect

    bank = Policy(PBank)

    @effect
    @bank.requires("to in state.payees or amount <= 100")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        return "sent"

    w = PBank(balance=1000, daily_limit=1000, payees={"alice"})
    assert verify_plan([Step("transfer", to="alice", amount=300)], [transfer], initial=w).ok
    r = verify_plan([Step("transfer", to="\\u{61}lice", amount=300)], [transfer], initial=w)
    assert not r.ok and r.failed_step == 0


# -- agent-level precondition guards take part in plan verification ----------------------------------------------------

def test_verify_plan_checks_agent_level_precondition_guards() -> None:
    from guards import Policy, Step, verify_plan
    from vfa import effect

    bank = Policy(PBank)

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        return "sent"

    g = PreconditionGuard.for_tool(transfer, "state.balance - amount >= 500", state=PBank)
    plan = [Step("transfer", to="alice", amount=300), Step("transfer", to="alice", amount=300)]
    w = PBank(balance=1000, daily_limit=1000)
    assert verify_plan(plan, [transfer], initial=w).ok
    r = verify_plan(plan, [transfer], initial=w, guards=[g])
    assert not r.ok and r.failed_step == 1 and r.clause == "state.balance - amount >= 500"
    assert verify_plan(plan[:1], [transfer], initial=w, guards=[g]).ok


def test_plan_execute_passes_the_agents_precondition_guards() -> None:
    world = PBank(balance=1000, daily_limit=1000, payees={"alice"})
    out, committed = _bank_agent(
        [[("transfer", {"to": "alice", "amount": 300}), ("transfer", {"to": "alice", "amount": 300})], "done"], world,
        extra_guards=[lambda t: PreconditionGuard.for_tool(t, "state.balance - amount >= 500", state=PBank)])
    assert committed == [] and world.balance == 1000  # the plan is rejected whole, not stopped after step one


# -- plans check the arguments the run time will see: validated by the tool's schema ---------------------------------

def test_verify_plan_validates_step_arguments_like_the_run_time() -> None:

    from guards import Policy, Step, Sym, verify_plan
    from vfa import effect

    class Acc(BaseModel):
        balance: int

    bank = Policy(Acc)

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def transfer(amount: Annotated[int, Field(le=100)], currency: Literal["EUR", "USD"] = "EUR") -> str:
        return "ok"

    w = Acc(balance=10**6)
    assert verify_plan([Step("transfer", amount=50)], [transfer], initial=w).ok
    r = verify_plan([Step("transfer", amount=50), Step("transfer", amount=500)], [transfer], initial=w)
    assert not r.ok and r.failed_step == 1
    r = verify_plan([Step("transfer", amount=10, currency="BTC")], [transfer], initial=w)
    assert not r.ok and r.failed_step == 0
    assert not verify_plan([Step("transfer", amount=Sym("x"))], [transfer], initial=w, assume=["0 < x"]).ok
    assert verify_plan([Step("transfer", amount=Sym("x"))], [transfer], initial=w, assume=["0 < x <= 100"]).ok
