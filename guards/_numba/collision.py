"""Compiled collision kernels: boxes and circles, discrete and swept, one pair and whole scenes.

Everything here takes and returns NumPy arrays and plain scalars (no Python objects inside a
kernel), is compiled lazily on first use with `cache=True` (one kernel per pair kind and mode,
picked by `contact_frames`, so a process compiles only what it uses), and does its arithmetic
in float64 whatever the input dtype, so float32 scenes get the same answers as float64 ones up
to input rounding. Inputs are validated by the callers (`_scene.py`): kernels assume finite
coordinates, boxes with min <= max and radii >= 0.

Shape layouts: a box row is (xmin, ymin, xmax, ymax); a circle row is (cx, cy, r).
A group of shapes is a (frames, entities, 3|4) array; frames == 1 means static (broadcast).
"""

from __future__ import annotations

import math

import numpy as np

from ._meet import _APART, _AT_START, _box_circle, _box_circle_meet, _circle_circle, _swept_circles_meet
from ._jit import jit as _jit

BOX = 0
CIRCLE = 1
NO_CONTACT = -1.0


# -- one pair at one instant ------------------------------------------------------------------


@_jit
def _box_box(ax0, ay0, ax1, ay1, bx0, by0, bx1, by1, strict):
    if strict:
        return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1
    return ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1


@_jit
def _discrete_pair(A, fa, i, ka, B, fb, j, kb, strict):
    """Overlap of A[fa, i] and B[fb, j] at one frame: 0.0 for contact, -1.0 for none."""
    if ka == BOX and kb == BOX:
        hit = _box_box(
            np.float64(A[fa, i, 0]), np.float64(A[fa, i, 1]), np.float64(A[fa, i, 2]), np.float64(A[fa, i, 3]),
            np.float64(B[fb, j, 0]), np.float64(B[fb, j, 1]), np.float64(B[fb, j, 2]), np.float64(B[fb, j, 3]),
            strict,
        )
        return 0.0 if hit else NO_CONTACT
    if ka == CIRCLE and kb == CIRCLE:
        g = _circle_circle(
            np.float64(A[fa, i, 0]), np.float64(A[fa, i, 1]), np.float64(A[fa, i, 2]),
            np.float64(B[fb, j, 0]), np.float64(B[fb, j, 1]), np.float64(B[fb, j, 2]),
        )
    elif ka == BOX:
        g = _box_circle(
            np.float64(A[fa, i, 0]), np.float64(A[fa, i, 1]), np.float64(A[fa, i, 2]), np.float64(A[fa, i, 3]),
            np.float64(B[fb, j, 0]), np.float64(B[fb, j, 1]), np.float64(B[fb, j, 2]),
        )
    else:
        g = _box_circle(
            np.float64(B[fb, j, 0]), np.float64(B[fb, j, 1]), np.float64(B[fb, j, 2]), np.float64(B[fb, j, 3]),
            np.float64(A[fa, i, 0]), np.float64(A[fa, i, 1]), np.float64(A[fa, i, 2]),
        )
    if g < 0 or (g == 0 and not strict):
        return 0.0
    return NO_CONTACT


# -- one pair between two frames (swept) ------------------------------------------------------


@_jit
def _first_nonpositive(a, b, c, ta, tb, strict):
    """Earliest t in [ta, tb] with a t^2 + b t + c <= 0 (< 0 when strict: the infimum), or -1."""
    hit, t = _first_in(a, b, c, ta, tb, strict)
    return t if hit else NO_CONTACT


@_jit
def _first_in(a, b, c, ta, tb, strict):
    """`_first_nonpositive` on a window anywhere on the line (negative too): (found, the first t)."""
    h = (a * ta + b) * ta + c
    if h < 0.0 or (h == 0.0 and not strict):
        return True, ta
    return _first_crossing(a, b, c, ta, tb, strict)


@_jit
def _first_crossing(a, b, c, ta, tb, strict):
    """`_first_nonpositive` once h(ta) > 0 (or == 0 under strict) is known: (found, first crossing after ta).

    A flag, not a sentinel, since the window may be anywhere on the line (negative too).
    """
    if a == 0.0:
        if b >= 0.0:
            return False, 0.0  # non-decreasing from h(ta) >= 0: never (strictly) below zero
        t = max(-c / b, ta)
        if t < tb or (t == tb and not strict):
            return True, t
        return False, 0.0
    # a, b and c are of the square of the shapes' size, b^2 - 4ac of its fourth power: that
    # underflows for shapes below ~1e-77 (a contact 1e-85 in size was missed). Scaled by a power
    # of two (exact: the same roots, bit for bit), the largest coefficient is about 1. Only up: down,
    # a coefficient in the subnormal range loses bits or becomes 0 (a > 0 taken for a < 0)
    s = math.ldexp(1.0, max(min(-math.frexp(max(abs(a), abs(b), abs(c)))[1], 1000), 0))
    a, b, c = a * s, b * s, c * s
    disc = b * b - 4.0 * a * c
    if disc < 0.0:
        return False, 0.0  # a > 0: never below zero; a < 0 would contradict h(ta) >= 0
    sq = math.sqrt(disc)
    q = -0.5 * (b + math.copysign(sq, b))  # stable form: no cancellation between b and sq
    if q == 0.0:
        r1 = 0.0
        r2 = 0.0
    else:
        r1 = q / a
        r2 = c / q
    lo = min(r1, r2)
    hi = max(r1, r2)
    if a > 0.0:
        # h <= 0 on [lo, hi] and h < 0 on (lo, hi): the first contact is lo, if the window reaches it
        t = max(lo, ta)
        end = min(hi, tb)
        if t < end or (t == end and not strict):
            return True, t
        return False, 0.0
    # a < 0: h <= 0 outside (lo, hi); h(ta) >= 0 puts ta inside, so the next contact is at hi
    t = max(hi, ta)
    if t < tb or (t == tb and not strict):
        return True, t
    return False, 0.0


@_jit
def _linear_window(g0, g1, lo, hi, strict):
    """Shrink [lo, hi] to the times where g0 + (g1 - g0) t >= 0 (> 0 when strict)."""
    d = g1 - g0
    if d == 0.0:
        if g0 < 0.0 or (strict and g0 == 0.0):
            return 1.0, 0.0  # empty
        return lo, hi
    tc = -g0 / d
    if d > 0.0:
        return max(lo, tc), hi
    return lo, min(hi, tc)


@_jit
def _box_toi(a0x0, a0y0, a0x1, a0y1, a1x0, a1y0, a1x1, a1y1,
             b0x0, b0y0, b0x1, b0y1, b1x0, b1y0, b1x1, b1y1, strict):
    """Earliest t in [0, 1] where two linearly moving boxes touch (overlap when strict), or -1."""
    lo = 0.0
    hi = 1.0
    # the four separating-axis conditions; each is linear in t because every coordinate is:
    # b.max - a.min >= 0 along x and y, then a.max - b.min >= 0
    lo, hi = _linear_window(b0x1 - a0x0, b1x1 - a1x0, lo, hi, strict)
    if lo > hi:
        return NO_CONTACT
    lo, hi = _linear_window(b0y1 - a0y0, b1y1 - a1y0, lo, hi, strict)
    if lo > hi:
        return NO_CONTACT
    lo, hi = _linear_window(a0x1 - b0x0, a1x1 - b1x0, lo, hi, strict)
    if lo > hi:
        return NO_CONTACT
    lo, hi = _linear_window(a0y1 - b0y0, a1y1 - b1y0, lo, hi, strict)
    if lo > hi:
        return NO_CONTACT
    if lo < hi or (lo == hi and not strict):
        return lo
    return NO_CONTACT


@_jit
def _swept_box_box(A, fa0, fa1, i, B, fb0, fb1, j, strict):
    # cheap reject: the boxes bounding each swept volume do not meet (most pairs in sparse scenes)
    if not _box_box(
        min(A[fa0, i, 0], A[fa1, i, 0]), min(A[fa0, i, 1], A[fa1, i, 1]),
        max(A[fa0, i, 2], A[fa1, i, 2]), max(A[fa0, i, 3], A[fa1, i, 3]),
        min(B[fb0, j, 0], B[fb1, j, 0]), min(B[fb0, j, 1], B[fb1, j, 1]),
        max(B[fb0, j, 2], B[fb1, j, 2]), max(B[fb0, j, 3], B[fb1, j, 3]),
        strict,
    ):
        return NO_CONTACT
    return _box_toi(
        np.float64(A[fa0, i, 0]), np.float64(A[fa0, i, 1]), np.float64(A[fa0, i, 2]), np.float64(A[fa0, i, 3]),
        np.float64(A[fa1, i, 0]), np.float64(A[fa1, i, 1]), np.float64(A[fa1, i, 2]), np.float64(A[fa1, i, 3]),
        np.float64(B[fb0, j, 0]), np.float64(B[fb0, j, 1]), np.float64(B[fb0, j, 2]), np.float64(B[fb0, j, 3]),
        np.float64(B[fb1, j, 0]), np.float64(B[fb1, j, 1]), np.float64(B[fb1, j, 2]), np.float64(B[fb1, j, 3]),
        strict,
    )


@_jit
def _swept_circle_circle(A, fa0, fa1, i, B, fb0, fb1, j, strict):
    ax0, ay0, ar0 = np.float64(A[fa0, i, 0]), np.float64(A[fa0, i, 1]), np.float64(A[fa0, i, 2])
    ax1, ay1, ar1 = np.float64(A[fa1, i, 0]), np.float64(A[fa1, i, 1]), np.float64(A[fa1, i, 2])
    bx0, by0, br0 = np.float64(B[fb0, j, 0]), np.float64(B[fb0, j, 1]), np.float64(B[fb0, j, 2])
    bx1, by1, br1 = np.float64(B[fb1, j, 0]), np.float64(B[fb1, j, 1]), np.float64(B[fb1, j, 2])
    # cheap reject (most pairs in sparse scenes): the relative centre stays on one side of the
    # band |x| <= rmax (or |y| <= rmax) over the whole leg, so the circles never meet. Each side is a
    # float of an exact difference against a float of the exact radius sum: rounding is monotone,
    # so a float comparison that says "beyond" is true of the exact values too
    rmax = max(ar0 + br0, ar1 + br1)
    dx0 = ax0 - bx0
    dy0 = ay0 - by0
    dx1 = ax1 - bx1
    dy1 = ay1 - by1
    if (min(dx0, dx1) > rmax) | (max(dx0, dx1) < -rmax) | (min(dy0, dy1) > rmax) | (max(dy0, dy1) < -rmax):
        return NO_CONTACT
    # whether they meet is decided exactly (`_swept_circles_meet`); the float solve below only
    # places the time, and where it rounds a tangent away the decision's own time stands
    code, tw = _swept_circles_meet(ax0, ay0, ar0, ax1, ay1, ar1, bx0, by0, br0, bx1, by1, br1, strict)
    if code == _APART:
        return NO_CONTACT
    if code == _AT_START:
        return 0.0
    t = _circles_toi(dx0, dy0, ar0 + br0, dx1 - dx0, dy1 - dy0, (ar1 + br1) - (ar0 + br0), strict)
    return t if t >= 0.0 else tw


@_jit
def _circles_toi(dx0, dy0, r0, ex, ey, er, strict):
    """The first time of contact of a relative centre d0 + e t against a radius sum r0 + er t, in
    floats, for a pair known to meet after t = 0; -1 where rounding loses a tangent.

    Expanded in t (a t^2 + b t + c) the coefficients of a long leg are huge (|e|^2 ~ leg^2) and
    b^2 - 4ac cancels to nothing: a 1e9 leg through a post was missed. So the quadratic is solved in
    the leg's own frame instead: s, the distance along the relative motion from the closest approach
    of the centres (t* = -d0.e / |e|^2, where s = 0), and q, the miss distance there. Then
    |d|^2 = s^2 + q^2 and r = R + k s (R: radius sum at t*), so (1 - k^2) s^2 - 2 R k s +
    (|q| - R)(|q| + R) <= 0: coefficients of the size of the shapes, not of the leg, and for equal
    radii (k = 0) the entry is s = -sqrt(R^2 - q^2) exactly.
    """
    cross = dx0 * ey - dy0 * ex
    c = dx0 * dx0 + dy0 * dy0 - r0 * r0
    el = math.hypot(ex, ey)
    if el == 0.0 or abs(er) > 0.5 * el:
        # no relative motion, or radii changing about as fast as the centres move: the leg is
        # short next to the shapes, so the expansion in t keeps its precision
        a = ex * ex + ey * ey - er * er
        b = 2.0 * (dx0 * ex + dy0 * ey - r0 * er)
        hit, t = _first_crossing(a, b, c, 0.0, 1.0, strict)
        return t if hit else NO_CONTACT
    if (abs(dx0) + abs(dy0)) * el > 2.0 ** -900:
        # from the products, divided once: exact for an integer scene, so a touch on a diagonal leg
        # (a direction of (0.8, -0.6), which rounds) stays a touch
        p = (dx0 * ex + dy0 * ey) / el  # s at t = 0 (negative while approaching)
        q = abs(cross) / el  # miss distance at the closest approach
    else:  # products that would underflow: through the unit direction instead
        ux = ex / el
        uy = ey / el
        p = dx0 * ux + dy0 * uy
        q = abs(dx0 * uy - dy0 * ux)
    k = er / el  # |k| <= 0.5
    big_r = r0 - k * p
    t_star = min(max(-p / el, 0.0), 1.0)
    # quick reject at the closest approach when the radii are fixed: the gap there is q - R
    if er == 0.0 and (q > r0 or (q == r0 and strict)):
        return NO_CONTACT  # rounded past a tangent: the caller's exact decision has the time
    a = 1.0 - k * k
    b = -2.0 * big_r * k
    cs = (q - big_r) * (q + big_r)
    hit, s = _first_crossing(a, b, cs, p, p + el, strict)
    if not hit:
        return NO_CONTACT
    t = (s - p) / el
    if t < 0.0:
        return 0.0
    if t > t_star and er == 0.0:
        return t_star  # rounding past the closest approach: that instant is a contact
    return min(t, 1.0)


@_jit
def _lerp_gap(p0, p1, q0, q1):
    # gap p - q as (value at t=0, slope)
    g0 = p0 - q0
    return g0, (p1 - q1) - g0


@_jit
def _active_gap(g0, s0, g1, s1, tm):
    """(value at t=0, slope) of the positive gap on one axis over a piece, picked at its midpoint
    tm; (0, 0) where the circle's centre is within the box's extent on that axis."""
    # at most one of the two gaps on an axis is positive, since min <= max
    if g0 + s0 * tm > 0.0:
        return g0, s0
    if g1 + s1 * tm > 0.0:
        return g1, s1
    return 0.0, 0.0




@_jit
def _cut(g, s, lo, n):
    """Where a gap g + s t changes sign inside (0, 1), or lo (a sentinel) when it does not; n counts cuts."""
    if s != 0.0:
        t = -g / s
        if 0.0 < t < 1.0:
            return t, n + 1
    return lo, n


@_jit
def _swept_box_circle(X, fx0, fx1, i, C, fc0, fc1, j, strict):
    """Box X[., i] against circle C[., j] between two frames: the earliest time of contact, or -1."""
    x00, y00, x10, y10 = (np.float64(X[fx0, i, 0]), np.float64(X[fx0, i, 1]),
                          np.float64(X[fx0, i, 2]), np.float64(X[fx0, i, 3]))
    x01, y01, x11, y11 = (np.float64(X[fx1, i, 0]), np.float64(X[fx1, i, 1]),
                          np.float64(X[fx1, i, 2]), np.float64(X[fx1, i, 3]))
    cx0, cy0, r0 = np.float64(C[fc0, j, 0]), np.float64(C[fc0, j, 1]), np.float64(C[fc0, j, 2])
    cx1, cy1, r1 = np.float64(C[fc1, j, 0]), np.float64(C[fc1, j, 1]), np.float64(C[fc1, j, 2])
    # cheap reject (most pairs in sparse scenes): the circle's swept bounds grown by its largest
    # radius miss the box's swept bounds. A float of (centre - radius) beyond a float edge means the
    # exact value is beyond it too (rounding is monotone), so this never rejects a contact
    rmax = max(r0, r1)
    if ((min(cx0, cx1) - rmax > max(x10, x11)) | (max(cx0, cx1) + rmax < min(x00, x01))
            | (min(cy0, cy1) - rmax > max(y10, y11)) | (max(cy0, cy1) + rmax < min(y00, y01))):
        return NO_CONTACT
    code, tw = _box_circle_meet(x00, y00, x10, y10, x01, y01, x11, y11, cx0, cy0, r0, cx1, cy1, r1, strict)
    if code == _APART:
        return NO_CONTACT
    if code == _AT_START:
        return 0.0
    t = _box_circle_toi(x00, y00, x10, y10, x01, y01, x11, y11, cx0, cy0, r0, cx1, cy1, r1, strict)
    return t if t >= 0.0 else tw


@_jit
def _box_circle_toi(x00, y00, x10, y10, x01, y01, x11, y11, cx0, cy0, r0, cx1, cy1, r1, strict):
    """The first time of contact of a moving box and circle in floats, for a pair known to meet
    after t = 0; -1 where rounding loses a tangent. The squared distance is piecewise quadratic in t.
    """
    rs = r1 - r0
    # gaps (value at t=0, slope): left (xmin - cx), right (cx - xmax), bottom, top; each linear in t
    lv, ls = _lerp_gap(x00, x01, cx0, cx1)
    rv, rsl = _lerp_gap(cx0, cx1, x10, x11)
    bv, bs = _lerp_gap(y00, y01, cy0, cy1)
    tv, ts = _lerp_gap(cy0, cy1, y10, y11)
    # breakpoints where a gap changes sign split [0, 1] into pieces with one quadratic each; the
    # (at most four) cuts live in registers, unused ones hold 2.0 and sort last (no allocation)
    n = 0
    c0, n = _cut(lv, ls, 2.0, n)
    c1, n = _cut(rv, rsl, 2.0, n)
    c2, n = _cut(bv, bs, 2.0, n)
    c3, n = _cut(tv, ts, 2.0, n)
    # sorting network for four values
    c0, c1 = min(c0, c1), max(c0, c1)
    c2, c3 = min(c2, c3), max(c2, c3)
    c0, c2 = min(c0, c2), max(c0, c2)
    c1, c3 = min(c1, c3), max(c1, c3)
    c1, c2 = min(c1, c2), max(c1, c2)
    ta = 0.0
    for p in range(n + 1):
        if p == n:
            tb = 1.0
        elif p == 0:
            tb = c0
        elif p == 1:
            tb = c1
        elif p == 2:
            tb = c2
        else:
            tb = c3
        tm = 0.5 * (ta + tb)
        gx, sx = _active_gap(lv, ls, rv, rsl, tm)
        gy, sy = _active_gap(bv, bs, tv, ts, tm)
        # Expanded about t = 0, the coefficients of a long leg are of the size of the leg squared,
        # and the gap at the closest approach (of the size of the shapes) is lost to rounding: a
        # corner grazed on a 1e8 leg was missed. So the piece is solved about its closest approach
        # t0 instead, where the gaps are as small as the pass is near.
        a = sx * sx + sy * sy - rs * rs
        t0 = ta
        if a > 0.0:
            t0 = min(max(-(gx * sx + gy * sy - r0 * rs) / a, ta), tb)
        ex = gx + sx * t0
        ey = gy + sy * t0
        er = r0 + rs * t0
        gap = math.hypot(ex, ey)
        b = 2.0 * (ex * sx + ey * sy - er * rs)
        if rs == 0.0 and ta < t0 < tb and (abs(gx) + abs(gy)) * math.sqrt(a) > 2.0 ** -900:
            # a closest approach inside the piece: the gap there is the miss distance of the line,
            # from the cross product divided once (exact for an integer scene, where t0 = 0.115
            # rounds and a touch at a corner on a diagonal leg read as a miss), and the slope is 0
            gap = abs(gx * sy - gy * sx) / math.sqrt(a)
            b = 0.0
        c = (gap - er) * (gap + er)
        hit, u = _first_in(a, b, c, ta - t0, tb - t0, strict)
        if hit:
            return min(max(t0 + u, ta), tb)
        ta = tb
    return NO_CONTACT


@_jit
def _swept_pair(A, fa0, fa1, i, ka, B, fb0, fb1, j, kb, strict):
    """Earliest time of impact in [0, 1] between two frames, or -1.0 when they never touch."""
    if ka == BOX and kb == BOX:
        return _swept_box_box(A, fa0, fa1, i, B, fb0, fb1, j, strict)
    if ka == CIRCLE and kb == CIRCLE:
        return _swept_circle_circle(A, fa0, fa1, i, B, fb0, fb1, j, strict)
    if ka == BOX:
        return _swept_box_circle(A, fa0, fa1, i, B, fb0, fb1, j, strict)
    return _swept_box_circle(B, fb0, fb1, j, A, fa0, fa1, i, strict)


# -- whole scenes ----------------------------------------------------------------------------


@_jit
def _count_row(ax0, ay0, ax1, ay1, bx0, by0, bx1, by1, strict):
    # non-short-circuit & over contiguous columns from index 0: LLVM vectorises this loop (SIMD
    # compares); a loop starting at a run-time offset measured 6x slower, so callers slice instead
    n = 0
    if strict:
        for j in range(bx0.shape[0]):
            n += (ax0 < bx1[j]) & (bx0[j] < ax1) & (ay0 < by1[j]) & (by0[j] < ay1)
    else:
        for j in range(bx0.shape[0]):
            n += (ax0 <= bx1[j]) & (bx0[j] <= ax1) & (ay0 <= by1[j]) & (by0[j] <= ay1)
    return n


@_jit
def _frames_box_box_discrete(A, B, self_pairs, strict, stop_first, out_n, out_i, out_j, out_toi):
    # the hot path: every time of impact is 0, so the earliest pair is the first one found. Each
    # frame of B is copied once to columns (x0, y0, x1, y1), so every row is a SIMD loop
    sa = 1 if A.shape[0] > 1 else 0
    sb = 1 if B.shape[0] > 1 else 0
    frames = max(A.shape[0], B.shape[0])
    nb_ = B.shape[1]
    cols = np.empty((4, nb_), dtype=B.dtype)
    bx0, by0, bx1, by1 = cols[0], cols[1], cols[2], cols[3]
    first = -1
    for f in range(frames):
        fa = f * sa
        fb = f * sb
        if f == 0 or sb == 1:
            for j in range(nb_):
                for k in range(4):
                    cols[k, j] = B[fb, j, k]
        count = 0
        bi = -1
        bj = -1
        for i in range(A.shape[1]):
            j0 = i + 1 if self_pairs else 0
            row = _count_row(A[fa, i, 0], A[fa, i, 1], A[fa, i, 2], A[fa, i, 3],
                             bx0[j0:], by0[j0:], bx1[j0:], by1[j0:], strict)
            if row > 0 and bi < 0:
                for j in range(j0, nb_):
                    if _box_box(A[fa, i, 0], A[fa, i, 1], A[fa, i, 2], A[fa, i, 3],
                                bx0[j], by0[j], bx1[j], by1[j], strict):
                        bi = i
                        bj = j
                        break
            count += row
        out_n[f] = count
        out_i[f] = bi
        out_j[f] = bj
        out_toi[f] = 0.0 if count > 0 else NO_CONTACT
        if count > 0 and first < 0:
            first = f
            if stop_first:
                return first
    return first


_CHUNK = 64  # obstacles per SIMD block in the swept broad phase


@_jit
def _frames_box_box_swept(A, B, self_pairs, strict, stop_first, out_n, out_i, out_j, out_toi):
    # The swept hot path. Per interval each obstacle's swept AABB (its box over the whole interval)
    # is computed once into columns, and each mover's once per row. A SIMD count over the row (the
    # broad-phase reject of `_swept_box_box`, on the same numbers) ends most rows; a row with
    # candidates is searched in blocks of _CHUNK (SIMD counts again) until all are found, and only
    # the candidates get the exact time of impact. Same pairs, same float operations and the same
    # (i, j) order as `_swept_box_box` pair by pair, so the same results, bit for bit.
    sa = 1 if A.shape[0] > 1 else 0
    sb = 1 if B.shape[0] > 1 else 0
    steps = max(A.shape[0], B.shape[0]) - 1
    nb_ = B.shape[1]
    cols = np.empty((4, nb_), dtype=B.dtype)
    sx0, sy0, sx1, sy1 = cols[0], cols[1], cols[2], cols[3]
    first = -1
    for f in range(steps):
        fa0 = f * sa
        fa1 = (f + 1) * sa
        fb0 = f * sb
        fb1 = (f + 1) * sb
        if f == 0 or sb == 1:
            for j in range(nb_):
                sx0[j] = min(B[fb0, j, 0], B[fb1, j, 0])
                sy0[j] = min(B[fb0, j, 1], B[fb1, j, 1])
                sx1[j] = max(B[fb0, j, 2], B[fb1, j, 2])
                sy1[j] = max(B[fb0, j, 3], B[fb1, j, 3])
        best = np.inf
        bi = -1
        bj = -1
        count = 0
        for i in range(A.shape[1]):
            ax0 = min(A[fa0, i, 0], A[fa1, i, 0])
            ay0 = min(A[fa0, i, 1], A[fa1, i, 1])
            ax1 = max(A[fa0, i, 2], A[fa1, i, 2])
            ay1 = max(A[fa0, i, 3], A[fa1, i, 3])
            a0x0 = np.float64(A[fa0, i, 0])
            a0y0 = np.float64(A[fa0, i, 1])
            a0x1 = np.float64(A[fa0, i, 2])
            a0y1 = np.float64(A[fa0, i, 3])
            a1x0 = np.float64(A[fa1, i, 0])
            a1y0 = np.float64(A[fa1, i, 1])
            a1x1 = np.float64(A[fa1, i, 2])
            a1y1 = np.float64(A[fa1, i, 3])
            j0 = i + 1 if self_pairs else 0
            left = _count_row(ax0, ay0, ax1, ay1, sx0[j0:], sy0[j0:], sx1[j0:], sy1[j0:], strict)
            # most rows stop here; the rest find their few candidates block by block
            c0 = j0
            while left > 0 and c0 < nb_:
                c1 = min(c0 + _CHUNK, nb_)
                k = _count_row(ax0, ay0, ax1, ay1, sx0[c0:c1], sy0[c0:c1], sx1[c0:c1], sy1[c0:c1], strict)
                lo = c0
                c0 = c1
                if k == 0:
                    continue
                left -= k
                for j in range(lo, c1):
                    if not _box_box(ax0, ay0, ax1, ay1, sx0[j], sy0[j], sx1[j], sy1[j], strict):
                        continue
                    t = _box_toi(
                        a0x0, a0y0, a0x1, a0y1, a1x0, a1y0, a1x1, a1y1,
                        np.float64(B[fb0, j, 0]), np.float64(B[fb0, j, 1]),
                        np.float64(B[fb0, j, 2]), np.float64(B[fb0, j, 3]),
                        np.float64(B[fb1, j, 0]), np.float64(B[fb1, j, 1]),
                        np.float64(B[fb1, j, 2]), np.float64(B[fb1, j, 3]),
                        strict,
                    )
                    if t >= 0.0:
                        count += 1
                        if t < best:
                            best = t
                            bi = i
                            bj = j
        out_n[f] = count
        out_i[f] = bi
        out_j[f] = bj
        out_toi[f] = best if count > 0 else NO_CONTACT
        if count > 0 and first < 0:
            first = f
            if stop_first:
                return first
    return first


def contact_frames(A, ka, B, kb, self_pairs, swept, strict, stop_first, out_n, out_i, out_j, out_toi):
    """Per frame (or per interval between frames, when swept): contact count and earliest pair.

    Fills out_n[f] (pairs in contact), out_i/out_j/out_toi (the earliest one; -1 when none) and
    returns the first frame with a contact, or -1. With stop_first it returns at that frame and
    leaves the later entries untouched. self_pairs: A is B, so only pairs i < j are checked.

    A plain-Python switch over compiled kernels, one per pair kind and mode, so a process only
    compiles (or loads from the cache) the kernels its scenes need.
    """
    swept = bool(swept) and max(A.shape[0], B.shape[0]) > 1
    args = (bool(self_pairs), bool(strict), bool(stop_first), out_n, out_i, out_j, out_toi)
    if ka == BOX and kb == BOX:
        kernel = _frames_box_box_swept if swept else _frames_box_box_discrete
        return kernel(A, B, *args)
    return _frames_pairs(A, int(ka), B, int(kb), swept, *args)


@_jit
def _frames_pairs(A, ka, B, kb, swept, self_pairs, strict, stop_first, out_n, out_i, out_j, out_toi):
    """`contact_frames` for pairs with a circle: every pair gets the exact test (no broad phase)."""
    nfa = A.shape[0]
    nfb = B.shape[0]
    frames = max(nfa, nfb)
    sa = 1 if nfa > 1 else 0  # stride 0 broadcasts a static group over frames
    sb = 1 if nfb > 1 else 0
    steps = frames - 1 if swept else frames
    first = -1
    for f in range(steps):
        best = np.inf
        bi = -1
        bj = -1
        count = 0
        for i in range(A.shape[1]):
            j0 = i + 1 if self_pairs else 0
            for j in range(j0, B.shape[1]):
                if swept:
                    t = _swept_pair(A, f * sa, (f + 1) * sa, i, ka, B, f * sb, (f + 1) * sb, j, kb, strict)
                else:
                    t = _discrete_pair(A, f * sa, i, ka, B, f * sb, j, kb, strict)
                if t >= 0.0:
                    count += 1
                    if t < best:
                        best = t
                        bi = i
                        bj = j
        out_n[f] = count
        out_i[f] = bi
        out_j[f] = bj
        out_toi[f] = best if count > 0 else NO_CONTACT
        if count > 0 and first < 0:
            first = f
            if stop_first:
                return first
    return first
