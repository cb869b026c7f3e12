"""A collision check (and a trace check) is judged on the motion, not on numba compiling its kernels.

The numba kernels compile at their first use: ~15 s on this machine. A `GuardChain`'s default budget is 1 s,
so in a process whose cache is cold the first `CollisionGuard` check of a clear path is denied with
"guard 'collision' did not decide within 1 s", a reason that is not the motion's. A cold cache is not rare:
the first process after `pip install` (the wheel ships no cache), and, by the README's own account, every
process of a read-only install ("compiled in memory at each start instead"): there the first motion of
every process is refused.

What must hold: with an empty cache directory (NUMBA_CACHE_DIR), the first check of a clear path under the
chain's default budget is an allow, and a path through a wall a deny naming the contact; so is a
`TraceVerifier`'s first check of a correct run. And in general: a guard's `warm()` runs before its first
check, outside its budget, and a `warm()` that raises leaves the check to judge (and deny) as it would.

Fixed: `GuardChain` calls a guard's `warm()` when it first plans the guards of a tool, outside any budget;
`CollisionGuard.warm` and `TraceVerifier.warm` compile their kernels once per process (`guards._warm`, on
tiny scenes of the types the guards hand the kernels).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from vfa import ALLOW, Deny, GuardChain, GuardContext, Proposal

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import numpy as np
from guards import CollisionGuard
from vfa import GuardChain, GuardContext, Proposal

world = {"obstacles": [np.array([[10.0, -5.0, 10.2, 5.0]])]}
chain = GuardChain([CollisionGuard(body=(1.0, 1.0), start=lambda p, ctx: (0.0, 0.0))])  # default budget
clear = chain.verify(Proposal(call_id="c1", tool="move", args={"waypoints": [[5.0, 0.0], [8.0, 0.0]]}),
                     GuardContext(world=world)).verdict
print(clear.kind, getattr(clear, "reason", ""))
wall = chain.verify(Proposal(call_id="c2", tool="move", args={"waypoints": [[5.0, 0.0], [50.0, 0.0]]}),
                    GuardContext(world=world)).verdict
print(wall.kind, getattr(wall, "reason", ""))

from guards import Bounds, Monotonic, NoContact, TraceVerifier
box = np.tile(np.array([[0.0, 0.0, 1.0, 1.0]]), (3, 1, 1))
run = {"score": np.array([0.0, 1.0, 2.0]), "player": box, "coins": np.tile(np.array([[5.0, 5.0, 0.5]]), (3, 1, 1))}
trace = GuardChain([TraceVerifier([Monotonic("score"), Bounds("score", 0, 10), NoContact("player", "coins")])])
ok = trace.verify(Proposal(call_id="c3", tool="playtest", args={"trace": run}), GuardContext()).verdict
print(ok.kind, getattr(ok, "reason", ""))
"""


def test_first_collision_check_with_a_cold_cache_is_judged_on_the_motion(tmp_path: Path) -> None:
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PYTHON"))}
    env.update(NUMBA_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    clear, wall, trace = (line.strip() for line in run.stdout.strip().splitlines())
    assert clear == "allow", clear
    assert wall.startswith("deny") and "touches box obstacle 0" in wall, wall
    assert trace == "allow", trace


class _Slow:
    """A guard whose first use loads something slow (as numba compiles): in `warm()`, not in `check()`."""

    name = "slow_to_load"
    timeout_s = 0.2

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.warmed = 0

    def warm(self) -> None:
        self.warmed += 1
        if self.fails:
            raise RuntimeError("cannot load")
        time.sleep(0.5)  # longer than its budget: counted in it, the first check would be denied

    def check(self, proposal, context):
        return Deny(reason="not loaded") if self.fails else ALLOW


def test_warm_runs_before_the_first_check_outside_the_budget() -> None:
    guard = _Slow()
    chain = GuardChain([guard])
    for i in range(3):
        assert chain.verify(Proposal(call_id=f"c{i}", tool="t", args={}), GuardContext()).verdict.kind == "allow"
    assert guard.warmed == 1  # once per tool's plan, not per call


def test_a_warm_that_raises_leaves_the_check_to_judge() -> None:
    verdict = GuardChain([_Slow(fails=True)]).verify(Proposal(call_id="c", tool="t", args={}), GuardContext()).verdict
    assert verdict.kind == "deny" and "not loaded" in verdict.reason
