"""A tool's guard built anew for each request is warmed before its first check, however many came before.

What must hold (README "Performance": a guard's `warm()` runs before its first check, outside its budget, so a
guard that compiles what it runs does not spend its first budget on it and deny): a tool whose guards are built
per request (dynamic tools, an app building its tools per request) has each new guard warmed once. The chain
kept its warm-ups by `id(guard)` for good: past its plan cache (4,096 plans, whose guards it keeps alive), a new
guard on a collected one's id was taken as warm (its first check paid the warm-up, in its budget), and the map
grew by one per request.
"""

from __future__ import annotations

from vfa import ALLOW, GuardChain, GuardContext, Proposal


class _Warmed:
    """A guard that must be warmed before it checks (as a numba kernel compiles)."""

    name = "warmed"
    timeout_s = 1.0

    def __init__(self) -> None:
        self.warmed = 0

    def warm(self) -> None:
        self.warmed += 1

    def check(self, proposal, context):
        return ALLOW if self.warmed == 1 else None  # not a verdict: denied, had it not been warmed once


def test_each_guard_built_per_request_is_warmed_once_past_the_plan_cache() -> None:
    chain = GuardChain([], timeout_s=1.0)
    cold = []
    for i in range(5000):
        g = _Warmed()
        result = chain.verify(Proposal(call_id=f"c{i}", tool="t", args={}), GuardContext(), extra=[g])
        if result.verdict.kind != "allow" or g.warmed != 1:
            cold.append((i, g.warmed, result.verdict.kind))
        del g
    assert cold == [], cold[:5]
    assert len(chain._warms) <= 2 * 4096 + 64
