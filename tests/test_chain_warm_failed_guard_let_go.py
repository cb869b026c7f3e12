"""A guard built per request whose warm-up raised is let go with its request, as one whose warm-up returned is.

What must hold (the chain's warm-ups are kept with their guards held weakly and pruned as guards go, so
the map does not grow per request): a guard whose `warm()` raises (a model file it loads is missing: its check
meets the same failure and denies) is not kept alive by the chain once nothing else holds it. Its warm-up's
future kept the exception, whose traceback holds `warm`'s frames and so the guard itself: every such guard (and
all it holds) stayed for good, never pruned, and the map grew by one per request without bound.

Fixed: a warm-up's future records only that it ended, never what it raised.
"""

from __future__ import annotations

import gc
import weakref

from vfa import GuardChain, GuardContext, Proposal


class _Unloadable:
    """A guard whose warm-up fails (what it loads is missing), holding a sizeable model."""

    name = "unloadable"
    timeout_s = 1.0

    def __init__(self) -> None:
        self.model = bytearray(1024)

    def warm(self) -> None:
        raise FileNotFoundError("model.bin")

    def check(self, proposal, context):
        raise FileNotFoundError("model.bin")


def test_a_guard_whose_warm_up_raised_is_not_kept_past_its_request() -> None:
    chain = GuardChain([], timeout_s=1.0)
    refs = []
    for i in range(4096 + 400):  # past the plan cache (which keeps the guards of its first 4,096 plans)
        g = _Unloadable()
        refs.append(weakref.ref(g))
        result = chain.verify(Proposal(call_id=f"c{i}", tool="t", args={}), GuardContext(), extra=[g])
        assert result.verdict.kind == "deny"
        del g
    gc.collect()
    alive = sum(r() is not None for r in refs[4096:])
    assert alive == 0, f"{alive} of the 400 guards past the plan cache are still alive"
    assert len(chain._warms) <= 2 * 4096 + 64
