"""Exact contact decisions for circles: one frame (the sign of a squared gap) and swept (whether a
moving pair meets at all in [0, 1]), for `collision.py`, whose float solves then only place the time.

Each decision is a few signs of polynomials in the coordinates, taken by `_exact` (a float filter,
else expansions): an integer scene gets the integer answer, exact touches included, where float64
squares past ~9.5e7 round and a touch read as a gap.
"""

from __future__ import annotations

import numpy as np

from ._exact import add, certain_sign, gap_sign, mul, sign, sum3_sign, sum_of, two_sum, up_scale
from ._jit import jit as _jit


@_jit
def _circle_circle(ax, ay, ar, bx, by, br):
    """Sign of the squared gap |a - b|^2 - (ra + rb)^2, exact: -1 overlapping, 0 touching, 1 apart."""
    dx = ax - bx
    dy = ay - by
    r = ar + br
    xx = dx * dx
    yy = dy * dy
    rr = r * r
    s = certain_sign(xx + yy - rr, xx + yy + rr)
    if s != 0:
        return s
    # too close to call in float64 (past ~9.5e7 the squares round, and an exact touch read as a
    # gap): the differences as exact two-term sums, the squares as expansions
    x1, x0 = two_sum(ax, -bx)
    y1, y0 = two_sum(ay, -by)
    r1, r0 = two_sum(ar, br)
    return gap_sign(x1, x0, y1, y0, r1, r0)


@_jit
def _axis_gap(lo, hi, c):
    """The positive gap from c to [lo, hi] as an exact two-term sum (0, 0 inside).

    A float difference has the exact difference's sign, so the side is never mistaken.
    """
    if lo - c > 0.0:
        return two_sum(lo, -c)
    if c - hi > 0.0:
        return two_sum(c, -hi)
    return 0.0, 0.0


@_jit
def _box_circle(x0, y0, x1, y1, cx, cy, r):
    """Sign of the squared gap from the box to the circle's centre minus r^2, exact, as `_circle_circle`;
    -1 for a point (r = 0) strictly inside the box, whose gap 0 - 0 would read as a touch."""
    if r == 0.0 and x0 < cx < x1 and y0 < cy < y1:
        return -1
    dx = max(x0 - cx, 0.0, cx - x1)
    dy = max(y0 - cy, 0.0, cy - y1)
    xx = dx * dx
    yy = dy * dy
    rr = r * r
    s = certain_sign(xx + yy - rr, xx + yy + rr)
    if s != 0:
        return s
    dx1, dx0 = _axis_gap(x0, x1, cx)
    dy1, dy0 = _axis_gap(y0, y1, cy)
    return gap_sign(dx1, dx0, dy1, dy0, r, 0.0)


# `_swept_circles_meet` outcomes
_APART = 0
_AT_START = 1
_LATER = 2  # at the vertex of h, or soon after its first crossing
_AT_END = 3  # h(1) <= 0: the first crossing is in (0, 1]


@_jit
def _meet_logic(sc, s1, sa, sb, sb1, sd, strict, exact):
    """Contact on [0, 1] from the signs of h(0), h(1), a, h'(0), h'(1) and b^2/4 - ac (see
    `_swept_circles_meet`): _APART, _AT_START, _LATER, _AT_END, or -1 when a float sign it needs was
    uncertain (0 from `certain_sign`; with `exact`, 0 is a true zero); -2 when it needs h'(1)
    and b^2/4 - ac, passed as 2 (not computed)."""
    if sc == 0 and not exact:
        return -1
    if sc < 0 or (sc == 0 and not strict):
        return _AT_START
    if s1 == 0 and not exact:
        return -1
    if s1 < 0 or (s1 == 0 and not strict):
        return _AT_END
    # both ends apart: only a convex h (a > 0) with its vertex inside (h'(0) < 0 < h'(1)) dips
    if sa == 0 and not exact:
        return -1
    if sa <= 0:
        return _APART
    if sb == 0 and not exact:
        return -1
    if sb >= 0:
        return _APART
    if sb1 == 2:
        return -2  # the caller computes the last two signs only now
    if sb1 == 0 and not exact:
        return -1
    if sb1 <= 0:
        return _APART
    if sd == 0 and not exact:
        return -1
    # the least value is h(vertex) = -(b^2/4 - ac) / a
    return _LATER if sd > 0 or (sd == 0 and not strict) else _APART


@_jit
def _swept_circles_meet(ax0, ay0, ar0, ax1, ay1, ar1, bx0, by0, br0, bx1, by1, br1, strict):
    """Whether two linearly moving circles touch (overlap when strict) for some t in [0, 1], exactly:
    (_APART, _AT_START, _LATER or _AT_END, a time to use where the float solve finds none).

    With d(t) = d0 + e t the relative centre and r(t) = r0 + er t the radius sum (>= 0 on [0, 1]),
    contact is h(t) = |d(t)|^2 - r(t)^2 <= 0, h = a t^2 + b t + c. Each sign it takes is a polynomial
    in the coordinates (h(0), h(1) of degree 2, a, h'(0)/2 = d0.e - r0 er, h'(1)/2 = d1.e - r1 er too,
    b^2/4 - ac of degree 4), so each is decided by the float filter or else exactly: for an integer
    scene the answer is the integer one, tangents included.
    """
    dx0 = ax0 - bx0
    dy0 = ay0 - by0
    dx1 = ax1 - bx1
    dy1 = ay1 - by1
    r0 = ar0 + br0
    r1 = ar1 + br1
    ex = dx1 - dx0
    ey = dy1 - dy0
    er = r1 - r0
    # magnitudes bounding the rounding of each term (e from two rounded differences)
    mx = abs(dx1) + abs(dx0)
    my = abs(dy1) + abs(dy0)
    mr = r1 + r0
    # the signs in the order `_meet_logic` takes them, each computed only when needed: most pairs
    # that reach here are apart at both ends and receding (h'(0) >= 0), four signs in
    x0x0, y0y0, r0r0 = dx0 * dx0, dy0 * dy0, r0 * r0
    c = x0x0 + y0y0 - r0r0
    pc = x0x0 + y0y0 + r0r0
    x1x1, y1y1, r1r1 = dx1 * dx1, dy1 * dy1, r1 * r1
    sc = certain_sign(c, pc)
    s1 = certain_sign(x1x1 + y1y1 - r1r1, x1x1 + y1y1 + r1r1)
    a = ex * ex + ey * ey - er * er
    pa = mx * mx + my * my + mr * mr
    hb = dx0 * ex + dy0 * ey - r0 * er
    pb = abs(dx0) * mx + abs(dy0) * my + r0 * mr
    sa = certain_sign(a, pa)
    sb = certain_sign(hb, pb)
    code = _meet_logic(sc, s1, sa, sb, 2, 2, strict, False)  # 2: not computed yet
    if code == -2:
        code = _meet_logic(
            sc, s1, sa, sb,
            certain_sign(dx1 * ex + dy1 * ey - r1 * er, abs(dx1) * mx + abs(dy1) * my + r1 * mr),
            certain_sign(hb * hb - a * c, pb * pb + pa * pc),
            strict, False,
        )
    if code < 0:
        code = _swept_circles_meet_exact(ax0, ay0, ar0, ax1, ay1, ar1, bx0, by0, br0, bx1, by1, br1, strict)
    tw = 1.0
    if code == _LATER and a > 0.0:
        tw = min(max(-hb / a, 0.0), 1.0)  # the vertex: where a tangent touches
    return code, tw


@_jit
def _swept_circles_meet_exact(ax0, ay0, ar0, ax1, ay1, ar1, bx0, by0, br0, bx1, by1, br1, strict):
    """`_swept_circles_meet`'s decision from exact expansions (the rare calls the filter leaves)."""
    # homogeneous polynomials: scaling every coordinate by one power of two keeps the signs, and
    # keeps a tiny scene's products out of the subnormal range
    s = up_scale(max(abs(ax0), abs(ay0), ar0, abs(ax1), abs(ay1), ar1,
                     abs(bx0), abs(by0), br0, abs(bx1), abs(by1), br1))
    X0 = sum_of(ax0 * s, -bx0 * s, 0.0, 0.0)
    Y0 = sum_of(ay0 * s, -by0 * s, 0.0, 0.0)
    R0 = sum_of(ar0 * s, br0 * s, 0.0, 0.0)
    X1 = sum_of(ax1 * s, -bx1 * s, 0.0, 0.0)
    Y1 = sum_of(ay1 * s, -by1 * s, 0.0, 0.0)
    R1 = sum_of(ar1 * s, br1 * s, 0.0, 0.0)
    EX = add(X1, X0, -1)
    EY = add(Y1, Y0, -1)
    ER = add(R1, R0, -1)
    c = add(add(mul(X0, X0), mul(Y0, Y0), 1), mul(R0, R0), -1)
    h1 = add(add(mul(X1, X1), mul(Y1, Y1), 1), mul(R1, R1), -1)
    a = add(add(mul(EX, EX), mul(EY, EY), 1), mul(ER, ER), -1)
    hb = add(add(mul(X0, EX), mul(Y0, EY), 1), mul(R0, ER), -1)
    hb1 = add(add(mul(X1, EX), mul(Y1, EY), 1), mul(R1, ER), -1)
    disc = add(mul(hb, hb), mul(a, c), -1)
    return _meet_logic(sign(c), sign(h1), sign(a), sign(hb), sign(hb1), sign(disc), strict, True)


@_jit
def _box_circle_meet(x00, y00, x10, y10, x01, y01, x11, y11, cx0, cy0, r0, cx1, cy1, r1, strict):
    """Whether a moving box and circle touch (overlap when strict) in [0, 1], exactly, as
    `_swept_circles_meet`: (_APART, _AT_START or _LATER, a time for where the float solve finds none).

    The circle meets the box where its centre is in the box grown by r: the box widened by r with
    the centre's y inside the box's y range, the box heightened by r with x inside, or within r of a
    corner. The first two are linear in t (every coordinate is), decided by `_linear_arm`; a corner
    is a circle of radius 0, decided by `_swept_circles_meet`. Each exactly, so an integer scene gets
    the integer answer.
    """
    g = _box_circle(x00, y00, x10, y10, cx0, cy0, r0)
    if g < 0 or (g == 0 and not strict):
        return _AT_START, 0.0
    found = False
    best = 1.0
    point = r0 == 0.0 and r1 == 0.0  # the grown box is the box itself: its inside, not its edge, overlaps
    for corner in range(4):
        px0, px1 = (x00, x01) if corner < 2 else (x10, x11)
        py0, py1 = (y00, y01) if corner % 2 == 0 else (y10, y11)
        code, tw = _swept_circles_meet(cx0, cy0, r0, cx1, cy1, r1, px0, py0, 0.0, px1, py1, 0.0, strict)
        if code != _APART:
            found = True
            best = min(best, tw)
    for axis in range(2):
        if axis == 0:  # widened: x0 - r <= cx <= x1 + r, y0 <= cy <= y1
            hold, tw = _linear_arm(cx0, x00, x10, cy0, y00, y10, r0, cx1, x01, x11, cy1, y01, y11, r1, strict, point)
        else:  # heightened
            hold, tw = _linear_arm(cy0, y00, y10, cx0, x00, x10, r0, cy1, y01, y11, cx1, x01, x11, r1, strict, point)
        if hold:
            found = True
            best = min(best, tw)
    return (_LATER, best) if found else (_APART, 0.0)


@_jit
def _linear_arm(u0, ulo0, uhi0, v0, vlo0, vhi0, r0, u1, ulo1, uhi1, v1, vlo1, vhi1, r1, strict, point):
    """Whether some t in [0, 1] has ulo - r <= u <= uhi + r and vlo <= v <= vhi (the u bounds and
    r > 0 strict when `strict`; for a `point`, r = 0 throughout, the v bounds strict instead: the open
    box), every term linear from frame 0 to 1: (holds, the earliest such t in floats). Exact: each
    constraint is g(t) >= 0 with g from g0 to g1, each a sum of three floats.
    """
    T = np.empty((2, 5, 3))  # T[frame, constraint]: the three terms of g
    st = np.array([strict, strict, strict and point, strict and point, strict and not point])
    for f in range(2):
        u, ulo, uhi, v, vlo, vhi, r = (u0, ulo0, uhi0, v0, vlo0, vhi0, r0) if f == 0 else (
            u1, ulo1, uhi1, v1, vlo1, vhi1, r1)
        T[f, 0, 0], T[f, 0, 1], T[f, 0, 2] = u, -ulo, r
        T[f, 1, 0], T[f, 1, 1], T[f, 1, 2] = uhi, -u, r
        T[f, 2, 0], T[f, 2, 1], T[f, 2, 2] = v, -vlo, 0.0
        T[f, 3, 0], T[f, 3, 1], T[f, 3, 2] = vhi, -v, 0.0
        T[f, 4, 0], T[f, 4, 1], T[f, 4, 2] = r, 0.0, 0.0
    ok = np.empty((2, 5), np.bool_)
    for k in range(5):
        for f in range(2):
            s = sum3_sign(T[f, k, 0], T[f, k, 1], T[f, k, 2])
            ok[f, k] = s > 0 or (s == 0 and not st[k])
        if not (ok[0, k] or ok[1, k]):
            return False, 0.0
    # each constraint holds on an interval of [0, 1]; in one dimension intervals share a point when
    # every two do (Helly). Only a pair of one holding at 0 (on [0, tk]) and one at 1 (on [tl, 1])
    # can miss: they meet when tl <= tk (< if either is strict), i.e. g_k0 g_l1 - g_l0 g_k1 >= 0
    tw = 0.0
    for ell in range(5):
        if ok[0, ell] or not ok[1, ell]:
            continue
        for k in range(5):
            if not ok[0, k] or ok[1, k]:
                continue
            d = _det_sign(T[0, k], T[1, ell], T[0, ell], T[1, k])
            if d < 0 or (d == 0 and (st[k] or st[ell])):
                return False, 0.0
        g0 = (T[0, ell, 0] + T[0, ell, 1]) + T[0, ell, 2]
        g1 = (T[1, ell, 0] + T[1, ell, 1]) + T[1, ell, 2]
        if g1 > g0:
            tw = max(tw, min(-g0 / (g1 - g0), 1.0))
    return True, tw


@_jit
def _det_sign(a, b, c, d):
    """Exact sign of sum(a) * sum(b) - sum(c) * sum(d), each a sum of three floats."""
    sa = (a[0] + a[1]) + a[2]
    sb = (b[0] + b[1]) + b[2]
    sc = (c[0] + c[1]) + c[2]
    sd = (d[0] + d[1]) + d[2]
    pa = abs(a[0]) + abs(a[1]) + abs(a[2])
    pb = abs(b[0]) + abs(b[1]) + abs(b[2])
    pc = abs(c[0]) + abs(c[1]) + abs(c[2])
    pd = abs(d[0]) + abs(d[1]) + abs(d[2])
    s = certain_sign(sa * sb - sc * sd, pa * pb + pc * pd)
    if s != 0:
        return s
    k = up_scale(max(pa, pb, pc, pd))  # degree 2, homogeneous: the sign survives the scaling
    ea = sum_of(a[0] * k, a[1] * k, a[2] * k, 0.0)
    eb = sum_of(b[0] * k, b[1] * k, b[2] * k, 0.0)
    ec = sum_of(c[0] * k, c[1] * k, c[2] * k, 0.0)
    ed = sum_of(d[0] * k, d[1] * k, d[2] * k, 0.0)
    return sign(add(mul(ea, eb), mul(ec, ed), -1))
