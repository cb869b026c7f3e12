"""Invariants over state traces: bounds, monotonicity, conservation, contacts and conditional ones.

    from guards import After, Always, Bounds, Monotonic, NoContact, While, contact, state

    invariants = [
        Monotonic("score"),                                    # a score never decreases
        Bounds("lives", lo=0, hi=3),
        Conserved("coins_held", "coins_on_map"),
        Always(state("alive") | state("game_over")),
        While(state("alive"), NoContact("player", "obstacles")),
        After(contact("player", "obstacles"), state("game_over"), within=5),
    ]

Each invariant runs as a compiled kernel over the whole trace and reports its first violation:
the frame, the entities and the values. NaN values violate (fail closed).
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ._trace_expr import Expr, _Program, flag, label, pair, real, tolerance
from ._trace_expr import channel as a_channel
from ._scene import SceneError, _contact_point, _shape_at, contact_frames

if TYPE_CHECKING:
    from ._trace import Trace

__all__ = ["After", "Always", "Bounds", "Conserved", "Invariant", "Monotonic", "NoContact", "Violation", "While"]


@dataclass(frozen=True)
class Violation:
    """The first frame at which an invariant fails, with the entities and values involved."""

    invariant: str
    """The invariant, as declared."""
    frame: int
    message: str
    entities: tuple[int, ...] = ()
    """Indices of the entities involved (columns of a vector channel, or the two shapes)."""
    values: dict[str, Any] = field(default_factory=dict)
    """The values that break the invariant at that frame."""
    time: float | None = None
    """Frame plus time of impact, for swept contacts."""

    def to_evidence(self) -> dict[str, Any]:
        """Plain JSON-serialisable form, for a Deny's evidence."""
        out = asdict(self)
        out["entities"] = list(self.entities)
        return out


def _fsum(row: np.ndarray) -> float:
    """An exactly rounded sum (NaN or inf as they come; a finite total beyond a float's range as inf)."""
    if not np.isfinite(row).all():
        return float(row.sum())
    try:
        return math.fsum(row.tolist())
    except OverflowError:  # partial sums past the float maximum ("intermediate overflow in fsum")
        total = sum(map(Fraction, row.tolist()), Fraction(0))
        try:
            return float(total)
        except OverflowError:
            return math.copysign(math.inf, total)


def _num(x: Any) -> float | str:
    """A plain float, or "nan" / "inf" / "-inf", which strict JSON cannot carry as numbers."""
    v = float(x)
    return v if np.isfinite(v) else str(v)


class Invariant(ABC):
    """Base class: something that holds at every frame of a trace (where its mask allows)."""

    name: str = "invariant"

    def first_violation(self, trace: Trace, mask: np.ndarray | None = None) -> Violation | None:
        """The first frame (within `mask`, if given) where this invariant fails, or None."""
        if mask is None:
            mask = np.ones(trace.frames, np.bool_)
        return self._check(trace, np.ascontiguousarray(mask, dtype=np.bool_))

    @abstractmethod
    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        """Implemented by each concrete kind."""

    def __repr__(self) -> str:
        return self.name


class Always(Invariant):
    """`expr` holds (is non-zero and not NaN) at every frame."""

    def __init__(self, expr: Expr, *, name: str | None = None) -> None:
        label(name, "Always")
        if not isinstance(expr, Expr):
            raise TypeError(f"Always needs an expression built from state(...) or contact(...), got {expr!r}")
        self.expr = expr
        self.name = name or f"Always({expr!r})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        from ._numba import first_false

        p = _Program(trace)
        self.expr._emit(p)
        values, X = p.run()
        f = int(first_false(values, mask))
        if f < 0:
            return None
        seen = {label: _num(X[max(f - 1, 0) if prev else f, col]) for label, (col, prev) in p.refs.items()}
        shown = ", ".join(f"{k}={v}" for k, v in seen.items())
        return Violation(self.name, f, f"{self.expr!r} is false at frame {f}: {shown}", values=seen)


class Bounds(Invariant):
    """Every entity of a channel stays within [lo, hi] at every frame."""

    def __init__(self, channel: str, lo: float = -np.inf, hi: float = np.inf, *, name: str | None = None) -> None:
        a_channel(channel, "Bounds")
        label(name, f"Bounds({channel!r})")
        for what, v in (("lo", lo), ("hi", hi)):
            if (value := real(v, f"Bounds({channel!r}): {what}")) is None or math.isnan(value):
                raise SceneError(f"Bounds({channel!r}): {what} must be a number, not {v!r:.60}")
        if not real(lo) <= real(hi):
            raise SceneError(f"Bounds({channel!r}): lo={lo} is above hi={hi}")
        self.channel, self.lo, self.hi = channel, real(lo), real(hi)
        self.name = name or f"Bounds({channel!r}, lo={lo}, hi={hi})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        from ._numba import first_out_of_bounds

        c0, c1 = trace.span(self.channel)
        f, c = (int(v) for v in first_out_of_bounds(trace.matrix, c0, c1, self.lo, self.hi, mask))
        if f < 0:
            return None
        e, v = c - c0, _num(trace.matrix[f, c])
        msg = f"{self.channel}[{e}]={v} is outside [{self.lo}, {self.hi}] at frame {f}"
        return Violation(self.name, f, msg, (e,), {"value": v, "lo": _num(self.lo), "hi": _num(self.hi)})


class Monotonic(Invariant):
    """Every entity of a channel never decreases (or never increases, or strictly) from frame to frame.

    Over the frames where it applies (a `While` mask skips frames, it does not restart the
    check), each value is compared with the largest (smallest, when decreasing) earlier one, so
    `tol` is the total slack allowed, not a slack per step that could add up.
    """

    def __init__(self, channel: str, *, decreasing: bool = False, strict: bool = False, tol: float = 0.0,
                 name: str | None = None) -> None:
        what = f"Monotonic({channel!r})"
        label(name, what)
        self.channel, self.tol = a_channel(channel, "Monotonic"), tolerance(tol, what)
        self.decreasing, self.strict = flag(decreasing, f"{what}: decreasing"), flag(strict, f"{what}: strict")
        self.name = name or f"Monotonic({channel!r}{', decreasing' if decreasing else ''}{', strict' if strict else ''})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        from ._numba import first_non_monotonic

        c0, c1 = trace.span(self.channel)
        sign = -1.0 if self.decreasing else 1.0
        f, c = (int(v) for v in first_non_monotonic(trace.matrix, c0, c1, sign, self.strict, self.tol, mask))
        if f < 0:
            return None
        # the reference: the extreme of the earlier masked frames (the kernel's running max / min)
        earlier = np.flatnonzero(mask[:f])
        if len(earlier):
            k = int(earlier[np.argmax(sign * trace.matrix[earlier, c])])
            where = f"{_num(trace.matrix[k, c])} (frame {k})"
            before = _num(trace.matrix[k, c])
        else:
            k, before, where = f, _num(trace.matrix[f, c]), "the start"
        e, after = c - c0, _num(trace.matrix[f, c])
        verb = ("increases" if self.decreasing else "decreases") if not self.strict else "does not change strictly"
        msg = f"{self.channel}[{e}] {verb} from {where} to {after} at frame {f}"
        return Violation(self.name, f, msg, (e,), {"previous": before, "previous_frame": k, "value": after, "tol": self.tol})


class Conserved(Invariant):
    """The total over the given channels' entities stays equal to its first value, within `tol`.

    Totals of whole numbers (units, coins, counts) are exact; others are compensated sums, and on
    top of the absolute `tol` only their rounding bound is allowed: 2u|total| + 2(nu)^2 sum|x| for n
    terms (u the unit roundoff), so about 2.2e-16 of the total itself.
    """

    def __init__(self, *channels: str, tol: float = 1e-9, name: str | None = None) -> None:
        if not channels:
            raise SceneError("Conserved needs at least one channel")
        label(name, "Conserved")
        self.channels = tuple(a_channel(c, "Conserved") for c in channels)
        self.tol = tolerance(tol, f"Conserved({', '.join(map(repr, channels))})")
        self.name = name or f"Conserved({', '.join(map(repr, channels))})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        from ._numba import first_drift

        cols = np.concatenate([np.arange(*trace.span(c)) for c in self.channels])
        X = np.ascontiguousarray(trace.matrix[:, cols])
        f = _first_exact_drift(X, self.tol, mask)
        if f is None:  # values that are not all small whole numbers: compensated sums, within their bound
            f = int(first_drift(X, 0, X.shape[1], self.tol, mask))
        if f < 0:
            return None
        start = int(np.flatnonzero(mask)[0])
        total, initial = _num(_fsum(X[f])), _num(_fsum(X[start]))
        msg = f"total of {', '.join(self.channels)} is {total} at frame {f}, was {initial} at frame {start}"
        return Violation(self.name, f, msg, values={"total": total, "initial": initial, "tol": self.tol})


def _first_exact_drift(X: np.ndarray, tol: float, mask: np.ndarray) -> int | None:
    """`first_drift` decided exactly where every value is a whole number whose totals int64 holds
    (units, coins, counts: one minted unit must show, however large the totals), or where a frame's
    magnitudes overflow a float (the kernel's rounding bound would be inf, so every drift within it,
    and its partial sums inf - inf); else None."""
    if X.size == 0 or not mask.any() or not np.isfinite(X).all():
        return None
    top = float(np.abs(X).max())
    if top * X.shape[1] < 2.0**62 and np.array_equal(X, np.trunc(X)):
        totals = X.astype(np.int64).sum(axis=1)
    elif np.isinf(_magnitudes(X)).any():  # rare: exact rational totals, frame by frame
        totals = np.array([sum(map(Fraction, row), Fraction(0)) for row in X.tolist()], dtype=object)
    else:
        return None
    frames = np.flatnonzero(mask)
    drift = (np.abs(totals[frames] - totals[frames[0]]) > tol).astype(bool)
    return int(frames[np.argmax(drift)]) if drift.any() else -1


def _magnitudes(X: np.ndarray) -> np.ndarray:
    """Each frame's sum of magnitudes, inf where it overflows (quietly: that is what is asked)."""
    with np.errstate(over="ignore"):
        return np.abs(X).sum(axis=1)


class NoContact(Invariant):
    """Shape channel `a` never touches `b` (or two entities of `a` never touch); swept by default.

    Swept, the motion from frame f to f + 1 is checked where the mask (a `While` condition)
    holds at frame f or at frame f + 1; a contact in it is reported at frame f with its time of impact.
    """

    def __init__(self, a: str, b: str | None = None, *, swept: bool = True, touching: bool = True,
                 name: str | None = None) -> None:
        label(name, "NoContact")
        self.a, self.b = a_channel(a, "NoContact"), None if b is None else a_channel(b, "NoContact")
        pair(self.a, self.b, "NoContact")
        self.swept, self.touching = flag(swept, "NoContact: swept"), flag(touching, "NoContact: touching")
        self.name = name or f"NoContact({a!r}{'' if b is None else f', {b!r}'})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        A = trace.group(self.a)
        B = A if self.b is None else trace.group(self.b)
        fc = contact_frames(A, None if self.b is None else B, swept=self.swept, touching=self.touching)
        count, n = fc.count, len(fc.count)
        still = A.shape[0] == 1 and B.shape[0] == 1 and trace.frames > 1
        if still:  # two static groups: their one entry is how they stand at every frame
            count, n = np.broadcast_to(fc.count, trace.frames), trace.frames
        swept = self.swept and n < trace.frames
        # a swept step f -> f + 1 is judged when the mask holds at either end (fail closed: a
        # contact during a step that starts or ends while the condition holds counts)
        steps = (mask[:n] | mask[1 : n + 1]) if swept else mask[:n]
        hits = np.flatnonzero((count > 0) & steps)
        if len(hits) == 0:
            return None
        f = int(hits[0])
        e = 0 if still else f
        i, j, toi = int(fc.a[e]), int(fc.b[e]), float(fc.toi[e])
        t = toi if swept else 0.0
        sa, sb = _shape_at(A, f, i, t), _shape_at(B, f, j, t)
        ka, kb = trace.shapes[self.a][1], trace.shapes[self.b or self.a][1]
        point = _contact_point(sa, ka, sb, kb)
        other = self.b or self.a
        when = f"between frames {f} and {f + 1} at time of impact {toi:.3f}" if swept else f"at frame {f}"
        msg = f"{self.a}[{i}] touches {other}[{j}] {when}, at ({point[0]:.3f}, {point[1]:.3f})"
        values = {"a": list(sa), "b": list(sb), "point": list(point), "pairs_in_contact": int(count[f]), "toi": t}
        return Violation(self.name, f, msg, (i, j), values, time=f + t)


class After(Invariant):
    """Whenever `trigger` holds at frame f, `goal` holds at some frame in [f, f + within].

    A deadline that falls after the end of the trace is not judged, unless `open_end_fails`.
    """

    def __init__(self, trigger: Expr, goal: Expr, *, within: int, open_end_fails: bool = False,
                 name: str | None = None) -> None:
        if not (isinstance(trigger, Expr) and isinstance(goal, Expr)):
            raise TypeError("After needs expressions built from state(...) or contact(...)")
        if within.__class__ is bool or not isinstance(within, numbers.Real) or not 0 <= within < math.inf \
                or int(within) != within:  # inf has no int: refused as any other non-whole number
            raise SceneError(f"After: within must be a whole number of frames >= 0, got {within!r}")
        label(name, "After")
        self.trigger, self.goal, self.within = trigger, goal, int(within)
        self.open_end_fails = flag(open_end_fails, "After: open_end_fails")
        self.name = name or f"After({trigger!r}, {goal!r}, within={within})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        from ._numba import first_deadline_miss

        trig, goal = self.trigger.evaluate(trace), self.goal.evaluate(trace)
        # a deadline past the last frame is judged alike for any within, so the kernel's int64 frame
        # arithmetic gets at most the trace's length (2**63 - 1 wrapped to a frame before the trigger)
        f = int(first_deadline_miss(trig, goal, min(self.within, trace.frames), mask, self.open_end_fails))
        if f < 0:
            return None
        deadline = f + self.within
        msg = f"{self.trigger!r} at frame {f}, but {self.goal!r} did not hold by frame {deadline}"
        return Violation(self.name, f, msg, values={"deadline": deadline, "frames": trace.frames})


class While(Invariant):
    """A conditional invariant: `invariant` is checked only at frames where `condition` holds.

    A NaN condition counts as holding, so a corrupt flag cannot switch a check off. A swept
    `NoContact` checks each step between two frames when the condition holds at either end; a swept
    `contact(...)` inside an expression is charged to the step's later frame, so a step out of the condition
    (the contact that kills) is not judged: under `While`, write contacts as `NoContact`.
    """

    def __init__(self, condition: Expr, invariant: Invariant, *, name: str | None = None) -> None:
        if not isinstance(condition, Expr) or not isinstance(invariant, Invariant):
            raise TypeError("While(condition, invariant): an expression and an invariant")
        label(name, "While")
        self.condition, self.invariant = condition, invariant
        self.name = name or f"While({condition!r}, {invariant!r})"

    def _check(self, trace: Trace, mask: np.ndarray) -> Violation | None:
        active = mask & (self.condition.evaluate(trace) != 0.0)  # NaN != 0 is True: fail closed
        found = self.invariant._check(trace, np.ascontiguousarray(active))
        if found is None:
            return None
        return Violation(self.name, found.frame, f"while {self.condition!r}: {found.message}",
                         found.entities, found.values, found.time)
