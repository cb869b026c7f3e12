"""A check denied while every guard worker hangs keeps nothing of its call alive.

What must hold (house rule: nothing grows without bound per run; README "Performance": a hung guard is abandoned
at its deadline and denies; vfa/_chain.py: "If every worker is stuck, later checks queue, time out and deny too"):
once all 32 guard workers hang (a policy server that never answers), each later call is denied at its deadline,
and what it handed the chain (its proposal, the graph state, the world) is let go with the denial. A service
whose policy server hangs keeps serving (denying) calls for hours: each must cost memory for its own length only.

Before: the check's work item stayed in the pool's queue, behind the hung workers, until a worker became free:
for good in a true hang, so every denied call kept its proposal and context (the conversation's state, the world)
alive, memory growing with every call (about 14 MB per 1,000 calls of 10 KB arguments, measured).

Fixed: a pool item (_chain._Queued) holds what it runs until a worker takes it or it is cancelled, which lets
go of it; the chain cancels its queued item at the deadline (_run_isolated), as _within did.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref

from vfa import ALLOW, GuardChain, GuardContext, Proposal
from vfa._chain import _EXECUTOR


class _Document:
    """What a conversation's state holds (a mail, a record): big in a real run."""

    def __init__(self) -> None:
        self.text = "x" * 10_000


class _Quick:
    name = "quick"
    timeout_s = 0.01

    def check(self, proposal: Proposal, context: GuardContext) -> object:
        return ALLOW


def test_calls_denied_behind_hung_workers_are_let_go() -> None:
    release = threading.Event()
    hung = [_EXECUTOR.submit(release.wait) for _ in range(32)]  # every worker held, as by a hung guard
    kept: list[weakref.ref[_Document]] = []
    try:
        deadline = time.monotonic() + 5
        while not all(f.running() for f in hung) and time.monotonic() < deadline:
            time.sleep(0.01)
        chain = GuardChain([_Quick()])
        for i in range(40):
            doc = _Document()
            kept.append(weakref.ref(doc))
            verdict = chain.verify(Proposal(call_id=f"c{i}", tool="pay", args={"amount": i}),
                                   GuardContext(state={"messages": [], "doc": doc})).verdict
            assert verdict.kind == "deny", verdict  # no worker became free within its budget
            del doc
        gc.collect()
        alive = sum(ref() is not None for ref in kept)
        assert alive == 0, f"{alive} of {len(kept)} denied calls are still held by the guard pool's queue"
    finally:
        release.set()
        for f in hung:
            f.result(timeout=5)
