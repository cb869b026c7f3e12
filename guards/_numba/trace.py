"""Compiled state-trace kernels: an expression stack machine and first-violation searches.

A trace is a (frames, columns) float64 matrix; a mask (frames,) bool says where an invariant
applies (all true when unconditional). Kernels return the first violating frame (and column).
"""

from __future__ import annotations

import numpy as np

from ._jit import jit as _jit

# opcodes of the expression stack machine; `_invariants.py` compiles declarations to these
OP_LOAD, OP_PREV, OP_CONST = 0, 1, 2
OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_ABS = 3, 4, 5, 6, 7, 8
OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE = 9, 10, 11, 12, 13, 14
OP_AND, OP_OR, OP_NOT, OP_MIN, OP_MAX = 15, 16, 17, 18, 19


@_jit
def eval_program(ops, args, consts, X, depth):
    """Evaluate a postfix program at every frame; booleans are 1.0 / 0.0. PREV at frame 0 is frame 0.

    NaN propagates through every operation (a comparison, NOT, AND, OR, min or max with a NaN
    operand is NaN), so an expression over a NaN value is never true: `first_false` fails it.
    """
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
                v = stack[sp - 1]
                stack[sp - 1] = v if v != v else (0.0 if v != 0.0 else 1.0)
                continue
            x = stack[sp - 2]
            y = stack[sp - 1]
            sp -= 1
            if op >= OP_LT and (x != x or y != y):
                r = np.nan  # fail closed: (NaN != 0), (NaN | 1), max(NaN, 5) are not true or a number
            elif op == OP_ADD:
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
    """First (frame, column) that breaks monotonicity over the masked frames, or (-1, -1).

    Each masked frame is compared with the running extreme (max of sign * x) of the earlier
    masked frames, not with frame f - 1: frames outside the mask are skipped, not a reset, and
    `tol` bounds the total slack, so many small steps back (each within tol) cannot add up.
    Non-strict: sign * (x[f] - extreme) >= -tol; strict: > tol. NaN is never ok.
    """
    n = c1 - c0
    best = np.empty(max(n, 1))
    seen = False
    for f in range(X.shape[0]):
        if not mask[f]:
            continue
        for c in range(c0, c1):
            v = sign * X[f, c]
            if not seen:
                if v != v:
                    return f, c
                best[c - c0] = v
                continue
            # an equal value is a step of 0: inf - inf would be NaN, and inf to inf no step back
            step = 0.0 if v == best[c - c0] else v - best[c - c0]
            ok = step > tol if strict else step >= -tol
            if not ok:  # NaN is never ok
                return f, c
            if v > best[c - c0]:
                best[c - c0] = v
        seen = True
    return -1, -1


@_jit
def _neumaier(X, f, c0, c1):
    """Compensated (Neumaier) sum of X[f, c0:c1], and the sum of the magnitudes."""
    total = 0.0
    comp = 0.0
    mag = 0.0
    for c in range(c0, c1):
        x = X[f, c]
        t = total + x
        if abs(total) >= abs(x):
            comp += (total - t) + x
        else:
            comp += (x - t) + total
        total = t
        mag += abs(x)
    return total + comp, mag


@_jit
def first_drift(X, c0, c1, tol, mask):
    """First masked frame whose column total differs from the first masked frame's by more than the tolerance.

    Totals are compensated sums, so large terms of opposite sign cannot hide a small loss. The
    tolerance is `tol` plus the rounding bound of each compensated sum, relative to the magnitude
    of its terms: 2u|S| + 2(n u)^2 sum|x| (u the unit roundoff; Higham, Accuracy and Stability, 4.3).
    """
    u = 1.1102230246251565e-16
    n = c1 - c0
    ref = np.nan
    ref_err = 0.0
    for f in range(X.shape[0]):
        if mask[f]:
            total, mag = _neumaier(X, f, c0, c1)
            err = 2.0 * u * abs(total) + 2.0 * (n * u) * (n * u) * mag
            if ref != ref:
                ref = total
                ref_err = err
                if total != total:
                    return f
            elif not (abs(total - ref) <= tol + err + ref_err):
                return f
    return -1


@_jit
def first_deadline_miss(trigger, goal, within, mask, open_end_fails):
    """First masked trigger frame f with no goal frame in [f, f + within], or -1.

    A deadline past the end of the trace is a miss only when open_end_fails. A NaN trigger
    fires; a NaN goal does not hold (both fail closed).
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
        # a NaN trigger fires (NaN != 0): a corrupt trigger cannot switch the deadline off
        if mask[f] and trigger[f] != 0.0:
            if next_goal[f] <= f + within and next_goal[f] < frames:
                continue  # met in time
            if f + within < frames or open_end_fails:
                return f
    return -1
