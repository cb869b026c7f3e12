"""Per-check cost of a precondition on concrete values: fresh Z3 solver vs push/pop vs vfa's compiled fast path.

    python benchmarks/z3_checks.py               # 5,000 argument sets per precondition
    python benchmarks/z3_checks.py --quick       # a few hundred, for a smoke test
    python benchmarks/z3_checks.py --json out.json

For each precondition, the same argument sets (and world states) are decided three ways:
(a) a new `z3.Solver()` per check, (b) one solver reused with push()/pop(), (c) `Precondition.holds`,
the function compiled once from the same parsed clauses (argument and state extraction included).
For reference it also times the whole `PreconditionGuard.check` (verdict object included): on
allowed calls only, and over all calls (a deny also explains itself in words, which costs more).
Every verdict of (a), (b) and (c) is compared; `verdict_mismatches` must be 0.
"""

from __future__ import annotations

import argparse
import enum
import json
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import at_least, json_path  # noqa: E402
from guards import Policy  # noqa: E402
from guards._reference import ReferenceCheck  # noqa: E402
from guards._z3 import z3_version  # noqa: E402
from vfa import GuardContext, Proposal, ToolSpec, effect  # noqa: E402


class Mode(enum.Enum):
    OPEN = "open"
    FROZEN = "frozen"


class Limits(BaseModel):
    daily: int
    spent_today: int
    fee_cap: float


class Account(BaseModel):
    balance: int
    mode: Mode
    limits: Limits


class World(BaseModel):
    account: Account
    payees: set[str]
    verified: bool
    country: str
    risk: float


policy = Policy(World)


@effect
@policy.requires("0 < amount <= state.account.balance", "amount <= state.account.limits.daily - state.account.limits.spent_today",
                 "to in state.payees or amount <= 100")
def transfer(to: str, amount: int) -> str:
    """The issue's example: three clauses (one chained), a set membership."""
    return ""


@effect
@policy.requires("0 < amount <= state.account.balance", "amount <= state.account.limits.daily - state.account.limits.spent_today",
                 "to in state.payees or amount <= 100", "state.verified or amount <= 50")
def transfer4(to: str, amount: int) -> str:
    """Four clauses."""
    return ""


@effect
@policy.requires(
    "0 < amount <= state.account.balance",
    "amount <= state.account.limits.daily - state.account.limits.spent_today",
    "to in state.payees or amount <= 100",
    "state.account.mode == 'open'",
    "fee <= state.account.limits.fee_cap",
    "fee + amount * state.risk <= 500.0",
    "implies(urgent, state.verified)",
    "country in {'FR', 'DE', 'NL'}",
    "country == state.country or amount <= 200",
    "amount * 2 <= state.account.balance + state.account.limits.daily",
)
def transfer10(to: str, amount: int, fee: float, urgent: bool, country: str) -> str:
    """Ten clauses over nested state: ints, reals, bools, strings, an enum, sets, implies."""
    return ""


def argument_sets(n: int, seed: int = 0) -> list[tuple[dict[str, Any], World]]:
    """n (arguments, world) pairs, about half near the boundaries so both verdicts are common."""
    rng = random.Random(seed)
    names = ["alice", "bob", "carol", "eve"]
    out = []
    for _ in range(n):
        near = rng.random() < 0.6
        amount = rng.randint(1, 150) if near else rng.randint(-20, 2000)
        args = {"to": rng.choice(names), "amount": amount, "fee": rng.choice([0.5, 1.25, 3.0, 9.75]),
                "urgent": rng.random() < 0.3, "country": rng.choice(["FR", "DE", "US"] if not near else ["FR", "DE"])}
        world = World(
            account=Account(balance=rng.randint(amount, amount + 400) if near else rng.randint(0, 2000),
                            mode=Mode.OPEN if near or rng.random() < 0.5 else Mode.FROZEN,
                            limits=Limits(daily=rng.randint(0, 1500), spent_today=rng.randint(0, 300),
                                          fee_cap=rng.choice([1.0, 5.0, 10.0]))),
            payees=set(rng.sample(names, rng.randint(0, 3))), verified=rng.random() < 0.7,
            country=rng.choice(["FR", "DE"]), risk=rng.choice([0.1, 0.5, 1.5]))
        out.append((args, world))
    return out


def _per_check(fn: Any, cases: list, repeat: int = 1) -> tuple[float, list[bool]]:
    verdicts = [fn(a, w) for a, w in cases]  # also a warm-up
    t0 = time.perf_counter()
    for _ in range(repeat):
        for a, w in cases:
            fn(a, w)
    return (time.perf_counter() - t0) / (repeat * len(cases)), verdicts


def bench(tool: Any, cases: list, fresh_cases: int) -> dict[str, Any]:
    spec = ToolSpec.of(tool)
    guard = spec.guards[0]
    pre = guard.precondition
    ref = ReferenceCheck(pre)
    fields = set(spec.args_model.model_fields)
    cases = [({k: v for k, v in a.items() if k in fields}, w) for a, w in cases]
    t_fast, v_fast = _per_check(pre.holds, cases, repeat=20)
    t_pp, v_pp = _per_check(lambda a, w: ref.decide(a, w)[0] == "sat", cases)
    sub = cases[:fresh_cases]
    t_fresh, v_fresh = _per_check(lambda a, w: ref.decide_fresh(a, w)[0] == "sat", sub)
    proposals = [(Proposal(call_id="c", tool=spec.name, args=a), GuardContext(world=w, tool=spec)) for a, w in cases]
    t_guard, v_guard = _per_check(guard.check, proposals, repeat=5)
    allowed = [pc for pc, ok in zip(proposals, v_pp) if ok]
    t_guard_allow, _ = _per_check(guard.check, allowed, repeat=20)
    mismatches = sum(f != p for f, p in zip(v_fast, v_pp)) + sum(f != p for f, p in zip(v_fresh, v_pp))
    mismatches += sum((g.kind == "allow") != p for g, p in zip(v_guard, v_pp))
    return {"clauses": len(pre.texts), "argument_sets": len(cases), "fresh_solver_sets": len(sub),
            "allowed": sum(v_pp), "denied": len(v_pp) - sum(v_pp),
            "fresh_solver_us": t_fresh * 1e6, "push_pop_us": t_pp * 1e6, "fast_path_us": t_fast * 1e6,
            "guard_check_us": t_guard * 1e6, "guard_check_allow_us": t_guard_allow * 1e6,
            "speedup_vs_fresh_solver": t_fresh / t_fast, "speedup_vs_push_pop": t_pp / t_fast,
            "verdict_mismatches": mismatches}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=at_least(1), default=5000, help="argument sets per precondition")
    ap.add_argument("--quick", action="store_true", help="200 argument sets (a smoke test)")
    ap.add_argument("--json", type=json_path, help="write the results here")
    opts = ap.parse_args(argv)
    n = 200 if opts.quick else opts.n
    cases = argument_sets(n)
    results = {}
    print(f"z3 {z3_version()}, Python {platform.python_version()}, {n} argument sets per precondition")
    print(f"{'precondition':<12} {'clauses':>7} {'(a) fresh':>11} {'(b) push/pop':>13} {'(c) vfa':>9} "
          f"{'guard allow':>12} {'guard all':>10} {'a/c':>8} {'b/c':>7} {'allow/deny':>11} {'mismatch':>8}")
    for tool in (transfer, transfer4, transfer10):
        r = results[tool.name] = bench(tool, cases, fresh_cases=min(n, 2000))
        print(f"{tool.name:<12} {r['clauses']:>7} {r['fresh_solver_us']:>9.1f}us {r['push_pop_us']:>11.1f}us "
              f"{r['fast_path_us']:>7.2f}us {r['guard_check_allow_us']:>10.2f}us {r['guard_check_us']:>8.2f}us {r['speedup_vs_fresh_solver']:>7.0f}x "
              f"{r['speedup_vs_push_pop']:>6.0f}x {r['allowed']:>5}/{r['denied']:<5} {r['verdict_mismatches']:>8}")
    summary = {
        "speedup_vs_fresh_solver": min(r["speedup_vs_fresh_solver"] for r in results.values()),
        "speedup_vs_push_pop": min(r["speedup_vs_push_pop"] for r in results.values()),
        "verdict_mismatches": sum(r["verdict_mismatches"] for r in results.values()),
        "argument_sets": n, "z3_version": z3_version(), "python": platform.python_version(),
        "preconditions": results,
    }
    print(f"worst case over the preconditions: {summary['speedup_vs_fresh_solver']:.0f}x vs a fresh solver, "
          f"{summary['speedup_vs_push_pop']:.0f}x vs push/pop; verdict mismatches: {summary['verdict_mismatches']}")
    if opts.json:
        opts.json.write_text(json.dumps(summary, indent=2))
    return 1 if summary["verdict_mismatches"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
