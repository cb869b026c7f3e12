"""Compiled kernels for collision and state-trace verification; the only module that imports numba.

Everything here takes and returns NumPy arrays and plain scalars (no Python objects inside a
kernel), is compiled lazily on first use with `cache=True`, and does its arithmetic in float64
whatever the input dtype, so float32 scenes get the same answers as float64 ones up to input
rounding. Inputs are validated by the callers (`_scene.py`, `_invariants.py`): kernels assume
finite coordinates, boxes with min <= max and radii >= 0.

Shape layouts: a box row is (xmin, ymin, xmax, ymax); a circle row is (cx, cy, r).
A group of shapes is a (frames, entities, 3|4) array; frames == 1 means static (broadcast).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

BOX = 0
CIRCLE = 1
NO_CONTACT = -1.0

_jit = nb.njit(cache=True, nogil=True)


# -- one pair at one instant ------------------------------------------------------------------


@_jit
def _box_box(ax0, ay0, ax1, ay1, bx0, by0, bx1, by1, strict):
    if strict:
        return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1
    return ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1


@_jit
def _circle_circle(ax, ay, ar, bx, by, br):
    # squared gap: <= 0 touching or overlapping, < 0 overlapping
    dx = ax - bx
    dy = ay - by
    r = ar + br
    return dx * dx + dy * dy - r * r


@_jit
def _box_circle(x0, y0, x1, y1, cx, cy, r):
    dx = max(x0 - cx, 0.0, cx - x1)
    dy = max(y0 - cy, 0.0, cy - y1)
    return dx * dx + dy * dy - r * r


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
    if g < 0.0 or (g == 0.0 and not strict):
        return 0.0
    return NO_CONTACT


# -- one pair between two frames (swept) ------------------------------------------------------


@_jit
def _first_nonpositive(a, b, c, ta, tb, strict):
    """Earliest t in [ta, tb] with a t^2 + b t + c <= 0 (< 0 when strict: the infimum), or -1."""
    h = (a * ta + b) * ta + c
    if h < 0.0 or (h == 0.0 and not strict):
        return ta
    # h(ta) > 0 (or == 0 under strict): look for the first crossing after ta
    if a == 0.0:
        if b >= 0.0:
            return NO_CONTACT  # non-decreasing from h(ta) >= 0: never (strictly) below zero
        t = max(-c / b, ta)
        if t < tb or (t == tb and not strict):
            return t
        return NO_CONTACT
    disc = b * b - 4.0 * a * c
    if disc < 0.0:
        return NO_CONTACT  # a > 0: never below zero; a < 0 would contradict h(ta) >= 0
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
            return t
        return NO_CONTACT
    # a < 0: h <= 0 outside (lo, hi); h(ta) >= 0 puts ta inside, so the next contact is at hi
    t = max(hi, ta)
    if t < tb or (t == tb and not strict):
        return t
    return NO_CONTACT


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
    lo = 0.0
    hi = 1.0
    # the four separating-axis conditions; each is linear in t because every coordinate is
    for k in range(4):
        if k < 2:  # b.max - a.min >= 0 along x (k=0) and y (k=1)
            g0 = np.float64(B[fb0, j, k + 2]) - np.float64(A[fa0, i, k])
            g1 = np.float64(B[fb1, j, k + 2]) - np.float64(A[fa1, i, k])
        else:  # a.max - b.min >= 0
            g0 = np.float64(A[fa0, i, k]) - np.float64(B[fb0, j, k - 2])
            g1 = np.float64(A[fa1, i, k]) - np.float64(B[fb1, j, k - 2])
        lo, hi = _linear_window(g0, g1, lo, hi, strict)
        if lo > hi:
            return NO_CONTACT
    if lo < hi or (lo == hi and not strict):
        return lo
    return NO_CONTACT


@_jit
def _swept_circle_circle(A, fa0, fa1, i, B, fb0, fb1, j, strict):
    dx0 = np.float64(A[fa0, i, 0]) - np.float64(B[fb0, j, 0])
    dy0 = np.float64(A[fa0, i, 1]) - np.float64(B[fb0, j, 1])
    r0 = np.float64(A[fa0, i, 2]) + np.float64(B[fb0, j, 2])
    ex = np.float64(A[fa1, i, 0]) - np.float64(B[fb1, j, 0]) - dx0
    ey = np.float64(A[fa1, i, 1]) - np.float64(B[fb1, j, 1]) - dy0
    er = np.float64(A[fa1, i, 2]) + np.float64(B[fb1, j, 2]) - r0
    a = ex * ex + ey * ey - er * er
    b = 2.0 * (dx0 * ex + dy0 * ey - r0 * er)
    c = dx0 * dx0 + dy0 * dy0 - r0 * r0
    return _first_nonpositive(a, b, c, 0.0, 1.0, strict)


@_jit
def _lerp_gap(p0, p1, q0, q1):
    # gap p - q as (value at t=0, slope)
    g0 = p0 - q0
    return g0, (p1 - q1) - g0


@_jit
def _swept_box_circle(X, fx0, fx1, i, C, fc0, fc1, j, strict):
    """Box X[., i] against circle C[., j]; the squared distance is piecewise quadratic in t."""
    cx0 = np.float64(C[fc0, j, 0])
    cy0 = np.float64(C[fc0, j, 1])
    cx1 = np.float64(C[fc1, j, 0])
    cy1 = np.float64(C[fc1, j, 1])
    r0 = np.float64(C[fc0, j, 2])
    rs = np.float64(C[fc1, j, 2]) - r0
    # gaps: left (xmin - cx), right (cx - xmax), bottom, top; each linear in t
    gv = np.empty(4)
    gs = np.empty(4)
    gv[0], gs[0] = _lerp_gap(np.float64(X[fx0, i, 0]), np.float64(X[fx1, i, 0]), cx0, cx1)
    gv[1], gs[1] = _lerp_gap(cx0, cx1, np.float64(X[fx0, i, 2]), np.float64(X[fx1, i, 2]))
    gv[2], gs[2] = _lerp_gap(np.float64(X[fx0, i, 1]), np.float64(X[fx1, i, 1]), cy0, cy1)
    gv[3], gs[3] = _lerp_gap(cy0, cy1, np.float64(X[fx0, i, 3]), np.float64(X[fx1, i, 3]))
    # breakpoints where a gap changes sign split [0, 1] into pieces with one quadratic each
    cuts = np.empty(6)
    cuts[0] = 0.0
    n = 1
    for k in range(4):
        if gs[k] != 0.0:
            t = -gv[k] / gs[k]
            if 0.0 < t < 1.0:
                cuts[n] = t
                n += 1
    cuts[n] = 1.0
    n += 1
    cuts[:n].sort()
    for p in range(n - 1):
        ta = cuts[p]
        tb = cuts[p + 1]
        if tb < ta:
            continue
        tm = 0.5 * (ta + tb)
        a = 0.0
        b = 0.0
        c = 0.0
        for axis in range(2):
            # at most one of the two gaps on an axis is positive, since min <= max
            for k in range(2 * axis, 2 * axis + 2):
                if gv[k] + gs[k] * tm > 0.0:
                    a += gs[k] * gs[k]
                    b += 2.0 * gv[k] * gs[k]
                    c += gv[k] * gv[k]
                    break
        a -= rs * rs
        b -= 2.0 * r0 * rs
        c -= r0 * r0
        t = _first_nonpositive(a, b, c, ta, tb, strict)
        if t >= 0.0:
            return t
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
                    if _discrete_pair(A, fa, i, BOX, B, fb, j, BOX, strict) >= 0.0:
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


@_jit
def contact_frames(A, ka, B, kb, self_pairs, swept, strict, stop_first, out_n, out_i, out_j, out_toi):
    """Per frame (or per interval between frames, when swept): contact count and earliest pair.

    Fills out_n[f] (pairs in contact), out_i/out_j/out_toi (the earliest one; -1 when none) and
    returns the first frame with a contact, or -1. With stop_first it returns at that frame and
    leaves the later entries untouched. self_pairs: A is B, so only pairs i < j are checked.
    """
    nfa = A.shape[0]
    nfb = B.shape[0]
    frames = max(nfa, nfb)
    swept = swept and frames > 1
    if not swept and ka == BOX and kb == BOX:
        return _frames_box_box_discrete(A, B, self_pairs, strict, stop_first, out_n, out_i, out_j, out_toi)
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


# -- invariants over state traces --------------------------------------------------------------
# A trace is a (frames, columns) float64 matrix; a mask (frames,) bool says where an invariant
# applies (all true when unconditional). Kernels return the first violating frame (and column).

# opcodes of the expression stack machine; `_invariants.py` compiles declarations to these
OP_LOAD, OP_PREV, OP_CONST = 0, 1, 2
OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_ABS = 3, 4, 5, 6, 7, 8
OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE = 9, 10, 11, 12, 13, 14
OP_AND, OP_OR, OP_NOT, OP_MIN, OP_MAX = 15, 16, 17, 18, 19


@_jit
def eval_program(ops, args, consts, X, depth):
    """Evaluate a postfix program at every frame; booleans are 1.0 / 0.0. PREV at frame 0 is frame 0."""
    frames = X.shape[0]
    out = np.empty(frames)
    stack = np.empty(max(depth, 1))
    for f in range(frames):
        sp = 0
        for k in range(ops.shape[0]):
            op = ops[k]
            if op == OP_LOAD:
                stack[sp] = X[f, args[k]]
                sp += 1
                continue
            if op == OP_PREV:
                stack[sp] = X[max(f - 1, 0), args[k]]
                sp += 1
                continue
            if op == OP_CONST:
                stack[sp] = consts[args[k]]
                sp += 1
                continue
            if op == OP_NEG:
                stack[sp - 1] = -stack[sp - 1]
                continue
            if op == OP_ABS:
                stack[sp - 1] = abs(stack[sp - 1])
                continue
            if op == OP_NOT:
                stack[sp - 1] = 0.0 if stack[sp - 1] != 0.0 else 1.0
                continue
            x = stack[sp - 2]
            y = stack[sp - 1]
            sp -= 1
            if op == OP_ADD:
                r = x + y
            elif op == OP_SUB:
                r = x - y
            elif op == OP_MUL:
                r = x * y
            elif op == OP_DIV:
                r = x / y if y != 0.0 else np.nan  # NaN makes a comparison fail: fail closed
            elif op == OP_LT:
                r = 1.0 if x < y else 0.0
            elif op == OP_LE:
                r = 1.0 if x <= y else 0.0
            elif op == OP_GT:
                r = 1.0 if x > y else 0.0
            elif op == OP_GE:
                r = 1.0 if x >= y else 0.0
            elif op == OP_EQ:
                r = 1.0 if x == y else 0.0
            elif op == OP_NE:
                r = 1.0 if x != y else 0.0
            elif op == OP_AND:
                r = 1.0 if (x != 0.0 and y != 0.0) else 0.0
            elif op == OP_OR:
                r = 1.0 if (x != 0.0 or y != 0.0) else 0.0
            elif op == OP_MIN:
                r = min(x, y)
            else:
                r = max(x, y)
            stack[sp - 1] = r
        out[f] = stack[0]
    return out


@_jit
def first_false(values, mask):
    """First frame where the mask holds and the value is 0 or NaN, or -1."""
    for f in range(values.shape[0]):
        if mask[f] and not (values[f] != 0.0 and values[f] == values[f]):
            return f
    return -1


@_jit
def first_out_of_bounds(X, c0, c1, lo, hi, mask):
    """First (frame, column) in columns [c0, c1) outside [lo, hi]; NaN is outside. (-1, -1) if none."""
    for f in range(X.shape[0]):
        if mask[f]:
            for c in range(c0, c1):
                v = X[f, c]
                if not (lo <= v <= hi):
                    return f, c
    return -1, -1


@_jit
def first_non_monotonic(X, c0, c1, sign, strict, tol, mask):
    """First (frame, column) where sign * (x[f] - x[f-1]) < -tol (<= 0 when strict); both frames masked."""
    for f in range(1, X.shape[0]):
        if mask[f] and mask[f - 1]:
            for c in range(c0, c1):
                step = sign * (X[f, c] - X[f - 1, c])
                ok = step > tol if strict else step >= -tol
                if not ok:  # NaN is never ok
                    return f, c
    return -1, -1


@_jit
def first_drift(X, c0, c1, tol, mask):
    """First masked frame whose column total differs from the first masked frame's by more than tol."""
    ref = np.nan
    for f in range(X.shape[0]):
        if mask[f]:
            total = 0.0
            for c in range(c0, c1):
                total += X[f, c]
            if ref != ref:
                ref = total
                if total != total:
                    return f
            elif not (abs(total - ref) <= tol):
                return f
    return -1


@_jit
def first_deadline_miss(trigger, goal, within, mask, open_end_fails):
    """First masked trigger frame f with no goal frame in [f, f + within], or -1.

    A deadline past the end of the trace is a miss only when open_end_fails.
    """
    frames = trigger.shape[0]
    # next_goal[f]: the first frame >= f where the goal holds (frames if never), built backwards
    next_goal = np.empty(frames, np.int64)
    nxt = frames
    for f in range(frames - 1, -1, -1):
        if goal[f] != 0.0 and goal[f] == goal[f]:
            nxt = f
        next_goal[f] = nxt
    for f in range(frames):
        if mask[f] and trigger[f] != 0.0 and trigger[f] == trigger[f]:
            if next_goal[f] <= f + within and next_goal[f] < frames:
                continue  # met in time
            if f + within < frames or open_end_fails:
                return f
    return -1
