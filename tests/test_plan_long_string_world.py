"""Red team 132: `verify_plan` hangs, past its Z3 budget, on a pinned world holding a string of ~600 characters.

Fault. `verify_plan(..., initial=world)` pins every field of the world at the solver's base level and
checks that the assumptions are consistent (`s.check()`), then checks each step inside `push()`/`pop()`.
Z3 switches a solver that has already answered a check to its incremental engine at the first
`push()`, and with a string variable pinned to a constant of some 520+ characters that switch does
not return (minutes; `Z3_solver_push` is not bound by `timeout_ms`). Any str field of the world
qualifies: a note, an address, a memo the app keeps. The plan-then-execute graph calls `verify_plan`
on every plan with the current world pinned, so such a world hangs every run (holding the process's Z3
lock, so every other Z3 check in the process waits too).

Why it matters: `timeout_ms` is documented as Z3's budget per step ("a step it cannot decide leaves
the plan unverified"); a plan check must decide or fail closed, never hang.

Expected: the plan is judged (here: step 1 fails its precondition) within a few seconds. The check
runs in a child process so a hang cannot take the test session's Z3 lock with it.

Fixed: `verify_plan` opens its scope before its first check, and a counterexample's model with a long
string pinned in a pushed solver is built on a new solver (`Z3.model_alone`).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    from pydantic import BaseModel
    from guards import Policy, Step, verify_plan
    from vfa import effect

    class Bank(BaseModel):
        balance: int
        note: str = ""

    bank = Policy(Bank)

    @effect
    @bank.requires("0 < amount <= state.balance")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str:
        \"\"\"Send money.\"\"\"
        return "sent"

    world = Bank(balance=1000, note="n" * 700)
    r = verify_plan([Step("transfer", to="alice", amount=5000)], [transfer], initial=world, timeout_ms=2000)
    print(r.ok, r.failed_step, r.clause)
""")


def test_a_plan_pinned_to_a_world_with_a_long_string_is_decided_promptly() -> None:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError("verify_plan did not return within 30 s (its Z3 budget is 2 s per step)") from None
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "0", "0", "<", "amount", "<=", "state.balance"], done.stdout
