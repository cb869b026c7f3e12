"""A guard built per request that takes no weak reference (a slotted dataclass) is let go with its request.

What must hold (the chain's warm-ups are kept with their guards held weakly and pruned as guards go, so
the map does not grow per request): a guard class with `__slots__` and no `__weakref__` (`@dataclass(slots=True)`,
a common way to write a small guard) is not kept alive by the chain's warm-ups once its request is over. `weakly`
(a helper) kept what takes no weak reference, so every such guard with a `warm()` was held for good (never pruned, as it
never dies), and the map grew by one per request without bound.

Fixed: a guard that takes no weak reference is known in _warms by its id alone (_chain._weak gives None), and
a prune forgets it.
"""

from __future__ import annotations

import dataclasses
import gc

from vfa import ALLOW, GuardChain, GuardContext, Proposal

_ALIVE = [0]


@dataclasses.dataclass(slots=True)
class _Slotted:
    """A small guard written as a slotted dataclass, with a warm-up."""

    limit: int
    name: str = "slotted"
    timeout_s: float = 1.0

    def __post_init__(self) -> None:
        _ALIVE[0] += 1

    def __del__(self) -> None:
        _ALIVE[0] -= 1

    def warm(self) -> None:
        pass

    def check(self, proposal, context):
        return ALLOW


def test_a_slotted_guard_built_per_request_is_not_kept_by_its_warm_up() -> None:
    chain = GuardChain([], timeout_s=1.0)
    for i in range(4096 + 400):  # past the plan cache (which keeps the guards of its first 4,096 plans)
        g = _Slotted(limit=i)
        result = chain.verify(Proposal(call_id=f"c{i}", tool="t", args={}), GuardContext(), extra=[g])
        assert result.verdict.kind == "allow"
        del g
    gc.collect()
    assert _ALIVE[0] <= 4096, f"{_ALIVE[0]} guards alive after 4,496 requests (the plan cache keeps 4,096)"
    assert len(chain._warms) <= 2 * 4096 + 64
