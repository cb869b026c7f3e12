"""A TraceVerifier judging a call without a `trace` argument denies it saying so, not with a bare KeyError.

`TraceVerifier` applies to every tool unless `tools=` says otherwise, and reads the run from
`proposal.args["trace"]` by default. On an agent with other tools (a `move` beside a `publish(trace)`),
every other call was denied with "guard 'trace_verifier' raised KeyError: 'trace'": neither the model nor
the developer learns that the verifier lacks a run to judge, nor how to fix it. `CollisionGuard` says it
for its own default ("no 'waypoints' argument; pass path= ..."). What must hold: the call is still denied
(fail closed), by a SceneError naming the tool, the missing argument and the fix (`trace=` or `tools=`).
"""

from __future__ import annotations

import pytest

from guards import Bounds, SceneError, TraceVerifier
from vfa import Deny, GuardChain, GuardContext, Proposal


def test_a_call_without_a_trace_is_denied_naming_what_is_missing() -> None:
    verifier = TraceVerifier([Bounds("x", 0, 1)])
    proposal = Proposal(call_id="c", tool="move", args={"to": 1.0})
    with pytest.raises(SceneError, match=r"'move'.*'trace'.*(trace=|tools=)"):
        verifier.check(proposal, GuardContext(world=None))
    verdict = GuardChain([verifier]).verify(proposal, GuardContext(world=None)).verdict
    assert isinstance(verdict, Deny) and "KeyError" not in verdict.reason and "'trace'" in verdict.reason


def test_a_call_with_a_trace_is_still_judged() -> None:
    verifier = TraceVerifier([Bounds("x", 0, 1)])
    good = Proposal(call_id="c", tool="publish", args={"trace": {"x": [0.0, 1.0]}})
    bad = Proposal(call_id="d", tool="publish", args={"trace": {"x": [0.0, 2.0]}})
    assert not isinstance(verifier.check(good, GuardContext(world=None)), Deny)
    assert isinstance(verifier.check(bad, GuardContext(world=None)), Deny)
