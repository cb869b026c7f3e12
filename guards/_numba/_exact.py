"""Exact signs of the small polynomials the circle kernels decide by, for when float64 is too close to call.

A circle contact is the sign of a squared gap (`dx*dx + dy*dy - r*r`, and for a swept pair a few
polynomials of degree 2 and 4 in the coordinates). Past ~9.5e7 those squares round, and an exact
touch (integer coordinates, a Pythagorean triple) read as a gap of a few units: no contact. So
each sign is decided in two steps, after Shewchuk, "Adaptive Precision Floating-Point Arithmetic
and Fast Robust Geometric Predicates" (1997):

- a filter: the float value and a bound on its rounding error, `FILTER * perm`, where `perm` is the
  same expression over the magnitudes of its terms. Beyond the bound the float sign is certain
  (nearly every call: a few flops, no branch taken);
- else the exact value as an expansion (a sum of floats that do not overlap, each exact), built with
  error-free transformations (two_sum, and two_product by Veltkamp's split: numba emits no FMA
  without fastmath, so the split is the portable way), whose sign is that of its largest term.

Exact means: no product of two terms falls below the normal range (2**-1022). For integer inputs
(every term an integer) that never happens; callers scale tiny scenes up by a power of two first
(the polynomials are homogeneous, so the signs stay). Inputs stay within the scene's 1e75, so a
quartic (<= ~1e303) does not overflow and the split of a factor (<= ~1e152) neither.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit as _jit

# Worst rounding bound derived for the expressions here, in units of u = 2**-53: about 5u for a
# squared gap, 7u for the swept coefficients, 14u for the quartic (Higham's gamma_n, n the depth of
# the expression); 32u leaves room for the rounding of `perm` itself.
FILTER = 2.0**-48
# Below this `perm`, the float terms may have underflowed (an absolute error the relative bound
# misses): the filter does not decide, the exact path (after scaling up) does.
TINY = 2.0**-900
_SPLITTER = 134217729.0  # 2**27 + 1: splits a double into two 26-bit halves (Veltkamp)


@_jit
def certain_sign(value, perm):
    """The sign of `value` (+1 or -1) when its rounding error, at most FILTER * perm, cannot flip it; else 0."""
    if perm > TINY:
        bound = FILTER * perm
        if value > bound:
            return 1
        if value < -bound:
            return -1
    return 0


# -- error-free transformations ------------------------------------------------------------------


@_jit
def two_sum(a, b):
    """a + b = s + err exactly (Knuth): no assumption on the magnitudes."""
    s = a + b
    bv = s - a
    av = s - bv
    return s, (a - av) + (b - bv)


@_jit
def _fast_two_sum(a, b):
    """a + b = s + err exactly, for |a| >= |b| (Dekker): three flops."""
    s = a + b
    return s, b - (s - a)


@_jit
def _split(a):
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


@_jit
def _two_product(a, b):
    """a * b = p + err exactly (Dekker), when nothing underflows."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, al * bl - (((p - ah * bh) - al * bh) - ah * bl)


# -- expansions: float arrays, smallest term first, terms not overlapping --------------------------


@_jit
def _grow(e, n, b):
    """Add b to the expansion e[:n] in place (e has room for n + 1); returns the new length.

    Shewchuk's Grow-Expansion with zero elimination: the result still does not overlap.
    """
    q = b
    k = 0
    for i in range(n):
        q, h = two_sum(q, e[i])
        if h != 0.0:
            e[k] = h
            k += 1
    if q != 0.0:
        e[k] = q
        k += 1
    return k


@_jit
def _compress(e, n):
    """Shewchuk's Compress, in place: the same value in as few terms as the value's span needs.

    Products of products otherwise grow quadratically in length; compressed, a quartic of integers
    below 2**53 takes at most five terms.
    """
    if n == 0:
        return 0
    bottom = n - 1
    big = e[bottom]
    for i in range(n - 2, -1, -1):
        s, q = _fast_two_sum(big, e[i])
        if q != 0.0:
            e[bottom] = s
            bottom -= 1
            big = q
        else:
            big = s
    e[bottom] = big
    top = 0
    for i in range(bottom + 1, n):
        s, q = _fast_two_sum(e[i], big)
        if q != 0.0:
            e[top] = q
            top += 1
        big = s
    e[top] = big
    return top + 1


@_jit
def sum_of(a, b, c, d):
    """The exact a + b + c + d as a compressed expansion (pass 0.0 for unused terms)."""
    e = np.empty(5)
    n = _grow(e, 0, a)
    n = _grow(e, n, b)
    n = _grow(e, n, c)
    n = _grow(e, n, d)
    return e[:_compress(e, n)]


@_jit
def add(e, f, sf):
    """e + sf * f exactly, sf = +1 or -1 (negation is exact)."""
    out = np.empty(e.shape[0] + f.shape[0] + 1)
    out[: e.shape[0]] = e
    n = e.shape[0]
    for j in range(f.shape[0]):
        n = _grow(out, n, sf * f[j])
    return out[:_compress(out, n)]


@_jit
def mul(e, f):
    """e * f exactly: every pair of terms through two_product, summed into one expansion."""
    out = np.empty(2 * e.shape[0] * f.shape[0] + 1)
    n = 0
    for i in range(e.shape[0]):
        for j in range(f.shape[0]):
            p, err = _two_product(e[i], f[j])
            n = _grow(out, n, err)
            n = _grow(out, n, p)
    return out[:_compress(out, n)]


@_jit
def sign(e):
    """The sign of an expansion: that of its largest (last) term, which outweighs all the others."""
    n = e.shape[0]
    if n == 0 or e[n - 1] == 0.0:
        return 0
    return 1 if e[n - 1] > 0.0 else -1


@_jit
def up_scale(m):
    """A power of two that brings a largest magnitude m below 1 up to [0.5, 1): exact, and keeps
    the products of a tiny scene out of the subnormal range. Never down (a small term would lose
    bits), and at most 2**1000 (the factor itself stays finite)."""
    return math.ldexp(1.0, max(min(-math.frexp(m)[1], 1000), 0))


# -- the predicates --------------------------------------------------------------------------------


@_jit
def gap_sign(x1, x0, y1, y0, r1, r0):
    """Exact sign of (x1 + x0)^2 + (y1 + y0)^2 - (r1 + r0)^2: each length given as a two-term sum
    (a difference of two coordinates from two_diff, exact), so no rounding enters anywhere."""
    s = up_scale(max(abs(x1), abs(x0), abs(y1), abs(y0), abs(r1), abs(r0)))
    x = sum_of(x1 * s, x0 * s, 0.0, 0.0)
    y = sum_of(y1 * s, y0 * s, 0.0, 0.0)
    r = sum_of(r1 * s, r0 * s, 0.0, 0.0)
    return sign(add(add(mul(x, x), mul(y, y), 1), mul(r, r), -1))


@_jit
def sum3_sign(a, b, c):
    """Exact sign of a + b + c (a gap of one coordinate, or one plus a radius)."""
    s = certain_sign((a + b) + c, abs(a) + abs(b) + abs(c))
    return s if s != 0 else sign(sum_of(a, b, c, 0.0))
