"""Z3 preconditions at run time: verdicts, evidence, malformed clauses, time-outs, and the fast path vs Z3."""

from __future__ import annotations

import enum
import json
import math
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from guards import Policy, PreconditionGuard, SolverError, requires
from guards._fastpath import evaluate, read_values
from vfa import ConfigError, GuardContext, PolicyError, Proposal, ToolSpec, effect


class Mode(enum.Enum):
    OPEN = "open"
    FROZEN = "frozen"
    CLOSED = "closed"


class Account(BaseModel):
    balance: int
    daily_limit: int
    spent_today: int
    rate: float
    mode: Mode


class Bank(BaseModel):
    account: Account
    payees: set[str]
    verified: bool
    tier: Literal["basic", "gold"]
    country: str


bank = Policy(Bank)


@effect
@bank.requires("0 < amount <= state.account.balance", "amount <= state.account.daily_limit - state.account.spent_today",
               "to in state.payees or amount <= 100")
def transfer(to: str, amount: int) -> str:
    return "sent"


def world(**kw: object) -> Bank:
    acct = dict(balance=120, daily_limit=1000, spent_today=0, rate=0.5, mode=Mode.OPEN)
    acct.update({k: v for k, v in kw.items() if k in acct})
    rest = dict(payees={"alice"}, verified=True, tier="basic", country="FR")
    rest.update({k: v for k, v in kw.items() if k in rest})
    return Bank(account=Account(**acct), **rest)


def check(tool: object, args: dict, w: object) -> object:
    spec = ToolSpec.of(tool)
    return spec.guards[0].check(Proposal(call_id="c1", tool=spec.name, args=args), GuardContext(world=w, tool=spec))


def test_allow_and_deny_name_clause_values_and_reason() -> None:
    assert check(transfer, {"to": "alice", "amount": 100}, world()).kind == "allow"
    v = check(transfer, {"to": "bob", "amount": 500}, world())
    assert v.kind == "deny"
    assert v.evidence["clauses"] == ["0 < amount <= state.account.balance", "to in state.payees or amount <= 100"]
    assert v.evidence["counterexample"] == {"amount": 500, "state.account.balance": 120, "to": "bob",
                                            "state.payees": ["alice"]}
    assert v.reason.startswith("precondition `0 < amount <= state.account.balance` fails: `amount <= state.account"
                               ".balance` does not hold: 500 is greater than 120 (amount=500, state.account.balance=120)")
    assert "500 is greater than 120" in v.evidence["violations"][0]["explanation"]
    assert "none of the alternatives holds" in v.evidence["violations"][1]["explanation"]
    json.dumps(v.evidence)


def test_either_decorator_order_and_dict_world() -> None:
    @bank.requires("amount <= state.account.balance")
    @effect
    def pay(amount: int) -> str:
        return "paid"

    assert check(pay, {"amount": 5}, world()).kind == "allow"
    assert check(pay, {"amount": 500}, world().model_dump()).kind == "deny"  # plain dicts read with [...]


@dataclass
class Shop:
    stock: dict = field(default_factory=dict)
    open: bool = True
    discount: float = 0.0


def test_dataclass_state_reals_and_bools() -> None:
    @effect
    @requires("state.open", "price * (1 - state.discount) >= 0.1", state=Shop)
    def sell(price: float) -> str:
        return "sold"

    assert check(sell, {"price": 1.0}, Shop(discount=0.5)).kind == "allow"
    assert check(sell, {"price": 0.2}, Shop(discount=0.5)).kind == "allow"  # exactly 0.1: exact arithmetic
    assert check(sell, {"price": 0.19}, Shop(discount=0.5)).kind == "deny"
    assert check(sell, {"price": 1.0}, Shop(open=False)).evidence["clauses"] == ["state.open"]


def test_bad_world_values_deny_instead_of_crashing() -> None:
    v = check(transfer, {"to": "bob", "amount": 5}, {"payees": []})
    assert v.kind == "deny" and "could not" in v.reason

    @effect
    @requires("x <= state.rate", state=Account)
    def f(x: float) -> str:
        return ""

    acct = Account.model_construct(balance=1, daily_limit=1, spent_today=0, rate=float("nan"), mode=Mode.OPEN)
    assert check(f, {"x": 0.0}, acct).kind == "deny"


@pytest.mark.parametrize(
    ("clause", "message"),
    [
        ("amount <", "not valid syntax"),
        ("foo > 1", "unknown name `foo`"),
        ("state.account.nope > 1", "`state.account` has no field `nope`"),
        ("state.nope.deeper > 1", "`state` has no field `nope`"),
        ("amount.real > 0", "attribute access is allowed only on the state"),
        ("__import__('os').system('true')", "calls are not allowed"),
        ("print(amount)", "calls are not allowed"),
        ("state.payees[0] == 'x'", "subscripts are not allowed"),
        ("(lambda: 1)() == 1", "calls are not allowed"),
        ("amount / 2 > 1", "use + - * only"),
        ("to > 3", "cannot compare"),
        ("state.account.mode == 'bogus'", "not a member of Mode"),
        ("amount", "expected a condition"),
        ("state.account", "is a record, not a value"),
        ("state.account.__class__ == 1", "has no field `__class__`"),
        ("", "non-empty string"),
    ],
)
def test_malformed_clauses_are_compile_errors_naming_the_clause(clause: str, message: str) -> None:
    with pytest.raises(PolicyError) as info:
        bank.requires(clause)(lambda_free_tool())
    assert message in str(info.value)
    assert info.value.clauses == (clause.strip(),) or clause == ""


def lambda_free_tool():
    def transfer(to: str, amount: int) -> str:
        return ""

    return transfer


def test_clause_without_state_type_is_an_error() -> None:
    with pytest.raises(PolicyError, match="declares no state type"):
        requires("amount <= state.balance")(lambda_free_tool())


def test_z3_time_out_is_a_deny_or_an_escalate(monkeypatch: pytest.MonkeyPatch) -> None:
    from guards import _reference

    monkeypatch.setattr(_reference.ReferenceCheck, "decide", lambda self, a, w: ("unknown", "timeout"))
    pre = ToolSpec.of(transfer).guards[0].precondition
    for on_unknown, kind in (("deny", "deny"), ("escalate", "escalate")):
        g = PreconditionGuard(pre, backend="z3", on_unknown=on_unknown, timeout_ms=10)
        v = g.check(Proposal(call_id="c", tool="transfer", args={"to": "alice", "amount": 1}), GuardContext(world=world()))
        assert v.kind == kind and v.evidence["undecided"] == "timeout"


def test_z3_backend_agrees_and_z3_errors_are_translated() -> None:
    pre = ToolSpec.of(transfer).guards[0].precondition
    g = PreconditionGuard(pre, backend="z3")
    p = Proposal(call_id="c", tool="transfer", args={"to": "bob", "amount": 500})
    assert g.check(p, GuardContext(world=world())).evidence["clauses"][0] == "0 < amount <= state.account.balance"
    from guards._sorts import INT
    from guards._z3 import Z3

    s = Z3()
    with pytest.raises(SolverError):
        s.add(s.value(INT, 1))  # an int is not a condition: z3.Z3Exception, translated
    with pytest.raises(ConfigError):
        PreconditionGuard(pre, backend="fastest")  # type: ignore[arg-type]


def test_import_vfa_and_declaring_preconditions_do_not_load_z3() -> None:
    code = ("import sys, vfa, guards\nfrom guards import requires\nassert 'z3' not in sys.modules\n"
            "requires('x > 0')(lambda_ := (lambda: None)) if False else None\nprint('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


# --- the differential test: the fast path and Z3 give identical verdicts ------------------------------------

@effect
@bank.requires(
    "0 < amount <= state.account.balance",
    "amount <= state.account.daily_limit - state.account.spent_today",
    "to in state.payees or amount <= 100",
    "state.account.mode in {'open', 'frozen'}",
    "implies(state.tier == 'basic', amount * 2 <= state.account.balance + 50)",
    "fee + amount * state.account.rate <= 400.5",
    "not (urgent and not state.verified)",
    "abs(amount - 40) >= 3 or len(to) == 3",
    "(max(amount, fee) if urgent else min(amount, 7)) < 300",
    "country != 'XX' and country == state.country or country in ('DE', 'FR')",
)
def rich(to: str, amount: int, fee: float, urgent: bool, country: str) -> str:
    return ""


names = st.sampled_from(["alice", "bob", "eve", "al", ""])
ints = st.integers(-50, 600)
reals = st.one_of(st.floats(-10, 500, allow_nan=False, width=32), st.sampled_from([0.1, 0.2, 0.3, 400.5, 0.0]))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict, dict]:
    """Arguments and states; half of them drawn near the precondition's boundaries, so both verdicts occur."""
    near = draw(st.booleans())
    amount = draw(st.integers(1, 120) if near else ints)
    args = {"to": draw(names), "amount": amount, "fee": draw(st.sampled_from([0.1, 0.2, 0.3, 0.5]) if near else reals),
            "urgent": draw(st.booleans()), "country": draw(st.sampled_from(["FR", "DE"] if near else ["FR", "DE", "XX", "US"]))}
    balance = draw(st.integers(2 * amount - 60, 2 * amount + 60) if near else ints)
    state = {"account": {"balance": balance, "daily_limit": draw(st.integers(amount, amount + 20) if near else ints),
                         "spent_today": draw(st.integers(0, 25) if near else st.integers(0, 300)),
                         "rate": draw(st.sampled_from([0.5, 1.0, 0.1]) if near else reals),
                         "mode": draw(st.sampled_from([Mode.OPEN, Mode.FROZEN] if near else list(Mode)))},
             "payees": set(draw(st.lists(names, max_size=3))) | ({args["to"]} if near and draw(st.booleans()) else set()),
             "verified": draw(st.booleans()), "tier": draw(st.sampled_from(["basic", "gold"])),
             "country": draw(st.sampled_from(["FR", "US"]))}
    return args, state


PRE = ToolSpec.of(rich).guards[0].precondition
from guards._reference import ReferenceCheck  # noqa: E402  (loads z3; this test needs it)

REF = ReferenceCheck(PRE)
DIFFERENTIAL = settings(max_examples=2000, derandomize=True, deadline=None, database=None,
                        suppress_health_check=[HealthCheck.too_slow])


@DIFFERENTIAL
@given(cases())
def test_fast_path_and_z3_agree(case: tuple[dict, dict]) -> None:
    args, state = case
    model = Bank.model_validate(state)
    fast = PRE.holds(args, model)
    assert PRE.holds(args, state) == fast  # the dict reader agrees with the attribute reader
    status, _ = REF.decide(args, model)
    assert status in ("sat", "unsat")
    assert fast == (status == "sat"), (args, state)
    assert (not PRE.violations(args, model)) == fast  # clause by clause agrees with the conjunction
    assert all(evaluate(t, read_values([t], args, model)) for t in PRE.terms) == fast  # and so does the interpreter


def test_differential_inputs_cover_both_verdicts() -> None:
    seen = {True: 0, False: 0}

    @settings(DIFFERENTIAL, max_examples=600)
    @given(cases())
    def count(case: tuple[dict, dict]) -> None:  # the same strategy, derandomized, fast path only
        seen[PRE.holds(*case)] += 1

    count()
    assert seen[True] > 30 and seen[False] > 30, seen


# --- real arithmetic: the float filter must agree with exact rationals, also at and near equality ------------

class Reals(BaseModel):
    d: float
    k: int


@effect
@requires("a * b + c <= state.d", "a - b != c or c * 3 == a + state.k", "-(a * c) < b * b * 0.1 + state.k", state=Reals)
def real_tool(a: float, b: float, c: float) -> str:
    return ""


@effect
@requires("a * b * c < state.d", "a * b * state.d - c * state.k <= a", state=Reals)
def tiny_tool(a: float, b: float, c: float) -> str:
    return ""


REAL_PRE = ToolSpec.of(real_tool).guards[0].precondition
REAL_REF = ReferenceCheck(REAL_PRE)
TINY_PRE = ToolSpec.of(tiny_tool).guards[0].precondition  # products that underflow, then grow again
TINY_REF = ReferenceCheck(TINY_PRE)
base = st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.5, 1.0, 3.0, 1e16, 1e-300, 2.0 ** 53, -0.1, -2.5,
                        1e-200, 1e-160, 1e-150, 5e-324, 1e-310, 2.2250738585072014e-308, 1e154, 1e300])
# magnitudes across the whole float range, subnormals included, where products underflow or overflow
scaled = st.builds(lambda m, e, s: s * m * 10.0 ** e if -300 <= e <= 300 else s * m * 10.0 ** (e // 2) * 10.0 ** (e - e // 2),
                   st.floats(1, 10), st.sampled_from([-320, -310, -300, -200, -160, -150, -100, -20, 0, 20, 100,
                                                     150, 154, 160, 200, 300, 307]), st.sampled_from([1, -1]))


@st.composite
def near_floats(draw: st.DrawFn) -> float:
    x = draw(st.one_of(base, st.floats(-1e6, 1e6, allow_nan=False), scaled))
    for _ in range(draw(st.integers(0, 2))):  # step to neighbouring floats, where rounding decides
        x = math.nextafter(x, draw(st.sampled_from([math.inf, -math.inf])))
    return x


@pytest.mark.parametrize("pre,ref", [(REAL_PRE, REAL_REF), (TINY_PRE, TINY_REF)], ids=["mixed", "underflow"])
@settings(max_examples=1200, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(near_floats(), near_floats(), near_floats(), near_floats(), st.integers(-3, 2 ** 60))
def test_real_arithmetic_fast_path_is_exact(pre, ref, a: float, b: float, c: float, d: float, k: int) -> None:
    if not math.isfinite(d):
        d = 1.0
    args, state = {"a": a, "b": b, "c": c}, Reals(d=d, k=k)
    fast = pre.holds(args, state)
    assert fast == all(evaluate(t, read_values([t], args, state)) for t in pre.terms)  # Fractions throughout
    for t in pre.terms:  # clause by clause too: a conjunction can hide a wrong clause
        assert evaluate(t, read_values([t], args, state)) == _one(t)(args, state)
    assert fast == (ref.decide(args, state)[0] == "sat")


_ONE: dict[int, object] = {}


def _one(term):
    from guards._fastpath import compile_check

    if id(term) not in _ONE:
        _ONE[id(term)] = compile_check([term], REAL_PRE.schema)
    return _ONE[id(term)]


def test_denial_evidence_reaches_the_guardrail_span_and_the_guard_is_deterministic() -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    from vfa import Agent
    from vfa.testing import ScriptedModel, capture_spans, check_guard

    spec = ToolSpec.of(transfer)
    verdict = check_guard(spec.guards[0], Proposal(call_id="c", tool="transfer", args={"to": "bob", "amount": 500}),
                          GuardContext(world=world(), tool=spec))
    assert verdict.kind == "deny"
    app = Agent(ScriptedModel([("transfer", {"to": "bob", "amount": 500}), "ok"]), [transfer],
                world=lambda: world()).compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        app.invoke({"messages": [("user", "pay")]}, {"configurable": {"thread_id": "s"}})
    rail = [s for s in spans.get_finished_spans() if s.name == "run_guardrail requires:transfer"]
    evidence = json.loads(rail[0].attributes["vfa.evidence"])
    assert evidence["clauses"][0] == "0 < amount <= state.account.balance"
    assert evidence["counterexample"]["amount"] == 500
