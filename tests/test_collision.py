"""Collision kernels against a pure-Python reference: discrete and swept, boxes and circles, bad input."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from guards import CollisionGuard, SceneError, contact_frames, first_contact, path_shapes
from vfa import Deny, GuardContext, Proposal, VfaError

# -- the pure-Python reference --------------------------------------------------------------------


def ref_gap(a, b):
    """Signed separation of two shapes (box rows have 4 numbers, circles 3): <= 0 means contact."""
    if len(a) == 3 and len(b) == 4:
        a, b = b, a
    if len(a) == 4 and len(b) == 4:
        return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])
    if len(a) == 3:
        return math.hypot(a[0] - b[0], a[1] - b[1]) - a[2] - b[2]
    dx = max(a[0] - b[0], 0.0, b[0] - a[2])
    dy = max(a[1] - b[1], 0.0, b[1] - a[3])
    return math.hypot(dx, dy) - b[2]


def ref_touch(a, b, strict=False):
    """Discrete contact by the definitions (squared distances, so exact touches stay exact)."""
    if len(a) == 3 and len(b) == 4:
        a, b = b, a
    if len(a) == 4 and len(b) == 4:
        if strict:
            return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
    if len(a) == 3:
        g = (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 - (a[2] + b[2]) ** 2
    else:
        dx = max(a[0] - b[0], 0.0, b[0] - a[2])
        dy = max(a[1] - b[1], 0.0, b[1] - a[3])
        g = dx * dx + dy * dy - b[2] ** 2
    return g < 0 or (g == 0 and not strict)


def lerp(s0, s1, t):
    return [x0 + (x1 - x0) * t for x0, x1 in zip(s0, s1)]


def ref_swept_box_box(a0, a1, b0, b1, strict=False):
    """Exact earliest time of impact of two moving boxes, in rational arithmetic; None if none. With strict,
    the infimum of the times the boxes overlap (open sets): touching is no contact."""
    lo, hi = Fraction(0), Fraction(1)
    pairs = [(b0[2] - a0[0], b1[2] - a1[0]), (b0[3] - a0[1], b1[3] - a1[1]),
             (a0[2] - b0[0], a1[2] - b1[0]), (a0[3] - b0[1], a1[3] - b1[1])]
    for g0, g1 in pairs:
        g0, d = Fraction(g0), Fraction(g1) - Fraction(g0)
        if d == 0:
            if g0 < 0 or (strict and g0 == 0):
                return None
        elif d > 0:
            lo = max(lo, -g0 / d)
        else:
            hi = min(hi, -g0 / d)
    return lo if lo < hi or (lo == hi and not strict) else None


def ref_swept_sampled(a0, a1, b0, b1, n=400):
    """Earliest sampled time with contact, refined by bisection; None when no sample touches."""
    prev = 0.0
    for k in range(n + 1):
        t = k / n
        if ref_gap(lerp(a0, a1, t), lerp(b0, b1, t)) <= 0:
            if k == 0:
                return 0.0
            lo, hi = prev, t
            for _ in range(60):
                mid = (lo + hi) / 2
                if ref_gap(lerp(a0, a1, mid), lerp(b0, b1, mid)) <= 0:
                    hi = mid
                else:
                    lo = mid
            return hi
        prev = t
    return None


# -- scenes ---------------------------------------------------------------------------------------

coord = st.integers(-40, 40).map(lambda v: v / 2)
size = st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0, 5.0])
fast = st.integers(-2000, 2000).map(float)


@st.composite
def shape(draw, kind, speed=coord):
    x, y = draw(speed), draw(speed)
    if kind == "box":
        return [x, y, x + draw(size), y + draw(size)]
    return [x, y, draw(size)]


@st.composite
def motion(draw, kind):
    speed = draw(st.sampled_from([coord, coord, fast]))  # some high-speed legs: tunnelling
    return draw(shape(kind, speed)), draw(shape(kind, speed))


def one(s):
    return np.asarray(s, dtype=np.float64)[None, None, :]


def swept_one(a0, a1, b0, b1, touching=True):
    A = np.asarray([[a0], [a1]], dtype=np.float64)
    B = np.asarray([[b0], [b1]], dtype=np.float64)
    fc = contact_frames(A, B, swept=True, touching=touching)
    return float(fc.toi[0]) if fc.count[0] else None


SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)


@SETTINGS
@given(st.sampled_from(["box", "circle"]), st.sampled_from(["box", "circle"]), st.data())
def test_discrete_matches_reference(ka, kb, data):
    a, b = data.draw(shape(ka)), data.draw(shape(kb))
    for strict in (False, True):
        got = contact_frames(one(a), one(b), touching=not strict).count[0] > 0
        assert got == ref_touch(a, b, strict), (a, b, strict)
        # float32 gives the same answer on the same (exactly representable) values
        got32 = contact_frames(one(a).astype(np.float32), one(b).astype(np.float32), touching=not strict)
        assert (got32.count[0] > 0) == got


@SETTINGS
@given(motion("box"), motion("box"))
def test_swept_box_box_is_exact(ma, mb):
    # half-integer coordinates: the kernel's float answer equals the rational one, bit for bit
    exact = ref_swept_box_box(*ma, *mb)
    got = swept_one(ma[0], ma[1], mb[0], mb[1])
    assert (got is None) == (exact is None), (ma, mb, got, exact)
    if exact is not None:
        assert got == float(exact)


@SETTINGS
@given(st.sampled_from([("box", "circle"), ("circle", "box"), ("circle", "circle"), ("box", "box")]), st.data())
def test_swept_matches_sampled_reference(kinds, data):
    ma, mb = data.draw(motion(kinds[0])), data.draw(motion(kinds[1]))
    scale = 1.0 + max(abs(v) for v in ma[0] + ma[1] + mb[0] + mb[1])
    eps = 1e-7 * scale
    got = swept_one(ma[0], ma[1], mb[0], mb[1])
    ref = ref_swept_sampled(ma[0], ma[1], mb[0], mb[1])
    if got is None:
        # no contact claimed: no sample may be clearly inside
        assert all(ref_gap(lerp(ma[0], ma[1], k / 400), lerp(mb[0], mb[1], k / 400)) > -eps for k in range(401))
        return
    assert 0.0 <= got <= 1.0
    # the claimed contact is real, and nothing touches clearly earlier
    assert ref_gap(lerp(ma[0], ma[1], got), lerp(mb[0], mb[1], got)) <= eps, (ma, mb, got)
    if ref is not None:
        assert got <= ref + 1e-9
    for k in range(400 if got > 0 else 0):
        t = k / 400 * got
        assert ref_gap(lerp(ma[0], ma[1], t), lerp(mb[0], mb[1], t)) > -eps, (ma, mb, got, t)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 4), st.booleans(), st.data())
def test_scene_counts_and_earliest_pair(frames, na, nb, swept, data):
    A = [[data.draw(shape("box")) for _ in range(na)] for _ in range(frames)]
    B = [[data.draw(shape("circle")) for _ in range(nb)] for _ in range(frames)]
    fc = contact_frames(np.array(A), np.array(B).reshape(frames, nb, 3), swept=swept)
    steps = frames - 1 if swept and frames > 1 else frames
    for f in range(steps):
        hits = []
        for i in range(na):
            for j in range(nb):
                if steps < frames:
                    t = swept_one(A[f][i], A[f + 1][i], B[f][j], B[f + 1][j])
                else:
                    t = 0.0 if ref_touch(A[f][i], B[f][j]) else None
                if t is not None:
                    hits.append((t, i, j))
        assert fc.count[f] == len(hits)
        if hits:
            assert (fc.toi[f], fc.a[f], fc.b[f]) == min(hits)
    expected_first = next((f for f in range(steps) if fc.count[f]), -1)
    assert fc.first == expected_first


# -- the swept box-box scene kernel: broad phase over blocks of obstacles, exact test after ----------


def box_scene(rng, frames, n, spread, fast_share=0.3):
    """Half-integer boxes (exact in float32 too); a share of them fast enough to tunnel."""
    if frames == 1:
        xy = rng.integers(-2 * spread, 2 * spread, (1, n, 2)) / 2
    else:
        start = rng.integers(-2 * spread, 2 * spread, (1, n, 2)) / 2
        speed = np.where(rng.random((1, n, 1)) < fast_share, 40, 2)
        step = rng.integers(-2 * speed, 2 * speed + 1, (frames - 1, n, 2)) / 2
        xy = np.concatenate([start, start + np.cumsum(step, axis=0)])
    wh = rng.choice([0.0, 0.5, 1.0, 2.0, 5.0], (1, n, 2))
    return np.concatenate([xy, xy + wh], axis=2)


def check_swept_boxes_against_reference(A, B, strict, self_pairs=False):
    fc = contact_frames(A, None if self_pairs else B, swept=True, touching=not strict)
    frames = max(len(A), len(B))
    for f in range(frames - 1):
        a0, a1 = A[min(f, len(A) - 1)], A[min(f + 1, len(A) - 1)]
        b0, b1 = B[min(f, len(B) - 1)], B[min(f + 1, len(B) - 1)]
        hits = []
        for i in range(A.shape[1]):
            for j in range(i + 1 if self_pairs else 0, B.shape[1]):
                t = ref_swept_box_box(a0[i].tolist(), a1[i].tolist(), b0[j].tolist(), b1[j].tolist(), strict)
                if t is not None:
                    hits.append((float(t), i, j))
        assert fc.count[f] == len(hits), (f, strict)
        if hits:
            assert (float(fc.toi[f]), int(fc.a[f]), int(fc.b[f])) == min(hits), (f, strict)
        else:
            assert (fc.toi[f], fc.a[f], fc.b[f]) == (-1.0, -1, -1)
    first = next((f for f in range(frames - 1) if fc.count[f]), -1)
    assert fc.first == first
    c = first_contact(A, None if self_pairs else B, touching=not strict)
    if first < 0:
        assert c is None
    else:
        assert (c.frame, c.toi, c.a, c.b) == (first, float(fc.toi[first]), int(fc.a[first]), int(fc.b[first]))
    return int(fc.count.sum())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("layout", ["both move", "static obstacles", "static movers"])
def test_swept_box_scene_kernel_matches_exact_reference(layout, dtype):
    # more obstacles than one SIMD block (64), dense enough that rows have candidates in several
    # blocks, some rejected only by the exact test, and touching-only contacts that strict drops
    rng = np.random.default_rng(["both move", "static obstacles", "static movers"].index(layout))
    A = box_scene(rng, 1 if layout == "static movers" else 4, 9, 30)
    B = box_scene(rng, 1 if layout == "static obstacles" else 4, 150, 30)
    A, B = A.astype(dtype), B.astype(dtype)
    counts = [check_swept_boxes_against_reference(A, B, strict) for strict in (False, True)]
    assert counts[0] > counts[1] > 0  # both modes see contacts, and some are touches only


def test_swept_box_scene_kernel_self_pairs_match_exact_reference():
    # self pairs start each row at j = i + 1, so rows begin inside a block, not at its edge
    boxes = box_scene(np.random.default_rng(7), 3, 110, 25)
    counts = [check_swept_boxes_against_reference(boxes, boxes, strict, self_pairs=True) for strict in (False, True)]
    assert counts[0] > counts[1] > 0


def test_swept_box_scene_without_contacts_and_empty_groups():
    far = box_scene(np.random.default_rng(3), 3, 100, 20)
    assert check_swept_boxes_against_reference(far[:, :5] + 1000.0, far, strict=False) == 0
    fc = contact_frames(far, np.zeros((3, 0, 4)), swept=True)
    assert fc.first == -1 and fc.count.tolist() == [0, 0]


# -- edge cases -----------------------------------------------------------------------------------


def test_tunnelling_is_caught_with_frame_and_time_of_impact():
    wall = np.array([[10.0, 0.0, 10.1, 10.0]])
    bullet = np.array([[[0, 4, 1, 5]], [[2, 4, 3, 5]], [[40, 4, 41, 5]]], dtype=np.float32)
    assert contact_frames(bullet, wall).first == -1  # discrete frames never overlap the wall
    c = first_contact(bullet, wall)
    assert (c.frame, c.a, c.b) == (1, 0, 0)
    assert c.toi == pytest.approx(7 / 38)  # right edge 3 -> 41 reaches x = 10
    assert c.time == pytest.approx(1 + 7 / 38)
    assert c.point[0] == pytest.approx(10.0)


def test_exact_touch_counts_unless_touching_false():
    a, b = one([0, 0, 1, 1]), one([1, 0, 2, 1])
    assert contact_frames(a, b).count[0] == 1
    assert contact_frames(a, b, touching=False).count[0] == 0
    c1, c2 = one([0, 0, 2]), one([3, 4, 3])  # distance 5 == 2 + 3
    assert contact_frames(c1, c2).count[0] == 1
    assert contact_frames(c1, c2, touching=False).count[0] == 0


def test_zero_size_box_and_point_circle():
    point = one([5, 5, 5, 5])
    assert contact_frames(point, one([0, 0, 5, 5])).count[0] == 1
    assert contact_frames(point, one([5, 5, 0])).count[0] == 1
    assert contact_frames(point, one([5, 5, 0]), touching=False).count[0] == 0


def test_self_pairs_and_static_broadcast():
    boxes = np.array([[[0, 0, 1, 1], [0.5, 0.5, 2, 2], [5, 5, 6, 6]]] * 3, dtype=np.float64)
    fc = contact_frames(boxes)
    assert list(fc.count) == [1, 1, 1] and (fc.a[0], fc.b[0]) == (0, 1)
    assert contact_frames(boxes, boxes[0]).count[0] == 5  # three self-overlaps + both orders


def test_swept_grazing_circle_reports_tangent_time():
    mover = np.array([[[-10.0, 2.0, 1.0]], [[10.0, 2.0, 1.0]]])
    c = first_contact(mover, np.array([[0.0, 0.0, 1.0]]))
    assert c is not None and c.toi == pytest.approx(0.5)
    assert first_contact(mover, np.array([[0.0, 0.0, 1.0]]), touching=False) is None


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[[0, 0, np.nan, 1]]]), "non-finite"),
        (np.array([[[0, 0, np.inf, 1]]]), "non-finite"),
        (np.array([[[2, 0, 1, 1]]]), "min > max"),
        (np.array([[[0, 0, -1]]]), "negative radius"),
        (np.zeros((2, 1, 5)), "expected shape"),
        (np.zeros((2, 1, 4), dtype=complex), "dtype"),
        (np.array([[[0, 0, 1e200, 1e200]]]), "exceeds"),
        ([["a", "b", "c", "d"]], "dtype"),
    ],
)
def test_bad_input_is_a_clear_error(bad, match):
    with pytest.raises(SceneError, match=match) as err:
        first_contact(bad, np.zeros((1, 4)))
    assert isinstance(err.value, ValueError) and isinstance(err.value, VfaError)


def test_mismatched_frames_is_an_error():
    with pytest.raises(SceneError, match="frame counts"):
        contact_frames(np.zeros((3, 1, 4)), np.zeros((2, 1, 4)))


# -- the collision guard --------------------------------------------------------------------------


def _move(waypoints, tool="move"):
    return Proposal(call_id="c1", tool=tool, args={"waypoints": waypoints})


def test_guard_denies_path_through_wall_with_first_contact():
    world = {"obstacles": [np.array([[10.0, -5.0, 10.2, 5.0], [30, -5, 31, 5]]), np.array([[20.0, 0.0, 1.0]])]}
    guard = CollisionGuard(body=(1.0, 1.0), start=lambda p, ctx: (0.0, 0.0))
    verdict = guard.check(_move([[5.0, 0.0], [50.0, 0.0]]), GuardContext(world=world))
    assert isinstance(verdict, Deny)
    ev = verdict.evidence
    # frame 1 of the scene (the start is frame 0) is the leg from waypoint 0 to waypoint 1
    assert (ev["frame"], ev["b"], ev["obstacle_kind"], ev["leg"]) == (1, 0, "box", [0, 1])
    assert ev["toi"] == pytest.approx((9.5 - 5.0) / 45.0)
    assert ev["point"][0] == pytest.approx(10.0)
    json.dumps(ev)  # plain JSON, no numpy types
    assert "waypoint 0 to waypoint 1" in verdict.reason


def test_guard_allows_clear_path_and_picks_earliest_group():
    world = {"obstacles": {"walls": np.array([[10.0, 5.0, 11.0, 6.0]]), "posts": np.array([[3.0, 0.0, 0.5]])}}
    guard = CollisionGuard(body=0.5, allow_no_start=True)
    assert guard.check(_move([[0.0, -3.0], [20.0, -3.0]]), GuardContext(world=world)).kind == "allow"
    verdict = guard.check(_move([[0.0, 0.0], [20.0, 5.5]]), GuardContext(world=world))
    assert verdict.evidence["obstacle_group"] == 1 and verdict.evidence["obstacle_kind"] == "circle"


def test_guard_bad_input_raises_clearly():
    guard = CollisionGuard(body=(1.0, 1.0), allow_no_start=True)
    with pytest.raises(SceneError, match="non-finite"):
        guard.check(_move([[0.0, 0.0], [float("nan"), 1.0]]), GuardContext(world={"obstacles": np.zeros((1, 4))}))
    with pytest.raises(SceneError, match="obstacles"):
        guard.check(_move([[0.0, 0.0], [1.0, 1.0]]), GuardContext(world={}))


def test_path_shapes():
    assert path_shapes([[1.0, 1.0]], (2.0, 4.0)).tolist() == [[[0.0, -1.0, 2.0, 3.0]]]
    assert path_shapes([[1.0, 1.0]], 0.5).tolist() == [[[1.0, 1.0, 0.5]]]
    with pytest.raises(SceneError):
        path_shapes([[1.0, 1.0]], (-1.0, 1.0))
