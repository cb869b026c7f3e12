"""Red team 132: a ragged array given to the collision guard or the trace verifier is denied with numpy's words.

Fault. `CollisionGuard.shapes` (the proposed waypoints), `_collect_groups` (the world's obstacles) and
`Trace.__init__` (each channel of a proposed trace) call `np.asarray` on what they are given without
the checks the rest of the input goes through, so a ragged list (`[[1, 1], [2]]`, a channel whose
frames have different lengths) raises numpy's `ValueError: setting an array element with a sequence.
The requested array has an inhomogeneous shape after 1 dimensions...`. The chain still denies (fail
closed), but the reason names neither the argument, the obstacle group nor the channel, where every
other malformed input gets a `SceneError` that does.

Expected: a `SceneError` deny naming the input: the guard's path, the obstacle group, the channel.

Fixed: ragged waypoints, obstacle groups and trace channels raise a `SceneError` naming the input.
"""

from __future__ import annotations

from guards import Bounds, CollisionGuard, TraceVerifier
from vfa import GuardContext, Proposal
from vfa._chain import GuardChain


def _deny(guard, tool, args, world=None) -> str:
    verdict = GuardChain([guard], timeout_s=None).verify(Proposal(call_id="c", tool=tool, args=args),
                                                          GuardContext(world=world)).verdict
    assert verdict.kind == "deny", verdict
    return verdict.reason


def test_ragged_waypoints_are_named() -> None:
    guard = CollisionGuard(body=0.5, start=lambda p, c: (0, 0))
    reason = _deny(guard, "move", {"waypoints": [[1, 1], [2]]}, {"obstacles": [[5, 5, 6, 6]]})
    assert "SceneError" in reason and "path" in reason, reason


def test_a_ragged_obstacle_group_is_named() -> None:
    guard = CollisionGuard(body=0.5, start=lambda p, c: (0, 0))
    reason = _deny(guard, "move", {"waypoints": [[1, 1]]}, {"obstacles": {"walls": [[5, 5, 6, 6], [1, 2]]}})
    assert "SceneError" in reason and "obstacles['walls']" in reason, reason


def test_a_ragged_trace_channel_is_named() -> None:
    guard = TraceVerifier([Bounds("hp", lo=0, hi=10)])
    reason = _deny(guard, "submit", {"trace": {"hp": [[1, 2], [3]]}})
    assert "SceneError" in reason and "'hp'" in reason, reason
