"""Scenes of moving boxes and circles: input validation, contacts per frame, and the first contact.

A *group* of shapes is a NumPy array: `(frames, entities, 4)` boxes `(xmin, ymin, xmax, ymax)` or
`(frames, entities, 3)` circles `(cx, cy, r)`; a 2-D `(entities, 4|3)` array is a static group,
the same at every frame. Between two frames every coordinate moves linearly, so swept
(continuous) collision finds the exact time of impact within the frame, and a fast object that
tunnels through a thin obstacle between two frames is caught. Edges that touch exactly are a
contact unless `touching=False`.
"""

# No `from __future__ import annotations`: the public classes here are re-homed to `guards` (their
# `__module__`), where `typing.get_type_hints` would look string annotations up and not find them.

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from vfa import VfaError

__all__ = ["Contact", "FrameContacts", "SceneError", "as_group", "contact_frames", "first_contact"]

BOX, CIRCLE = 0, 1
_KIND_NAMES = {BOX: "box", CIRCLE: "circle"}
# The largest coordinate the kernels handle without overflow. With |x| <= M, a difference of two
# coordinates is <= 2M and a difference of differences (the motion of one shape relative to
# another over a leg) <= 4M, so the swept kernels' quadratic coefficients are <= ~50 M^2 and the
# discriminant b^2 - 4ac <= ~1e4 M^4. That must stay below the float64 maximum (1.8e308):
# M <= (1.8e304)^(1/4) ~ 1.1e76. 1e75 leaves a margin (1e4 M^4 <= 1e304); no scene needs more.
_MAX_COORD = 1e75
_MIN_RADIUS = 1e-150  # its square stays a normal float (above 2.2e-308)
_EXACT_INT = 2**53  # the largest magnitude up to which float64 holds every integer


class SceneError(VfaError, ValueError):
    """A scene or trace cannot be checked: NaN or infinite values, min > max, mismatched shapes."""


@dataclass(frozen=True)
class Contact:
    """The first contact between two shapes: where (entities, point) and when (frame, time of impact)."""

    frame: int
    """The frame of the contact; for swept contacts, the frame the interval starts at."""
    toi: float
    """Time of impact within the frame interval, in [0, 1]; 0.0 for a discrete contact."""
    a: int
    """Index of the entity in the first group."""
    b: int
    """Index of the entity in the second group."""
    point: tuple[float, float]
    """A point where the two shapes touch at the time of impact."""
    a_shape: tuple[float, ...]
    """The first entity's shape at the time of impact (box or circle row)."""
    b_shape: tuple[float, ...]
    """The second entity's shape at the time of impact."""
    swept: bool = False

    @property
    def time(self) -> float:
        """Frame plus time of impact: when the contact happens, in frames since the start."""
        return self.frame + self.toi

    def to_evidence(self) -> dict[str, Any]:
        """Plain JSON-serialisable form, for a Deny's evidence."""
        out = asdict(self)
        out["time"] = self.time
        out["point"] = list(self.point)
        out["a_shape"] = list(self.a_shape)
        out["b_shape"] = list(self.b_shape)
        return out


@dataclass(frozen=True)
class FrameContacts:
    """Contacts per frame (per interval when swept): count, the earliest pair and its time of impact."""

    count: np.ndarray
    a: np.ndarray
    b: np.ndarray
    toi: np.ndarray
    first: int
    """First frame with a contact, or -1."""

    @property
    def any(self) -> np.ndarray:
        """Boolean per frame: at least one pair in contact."""
        return self.count > 0


def as_group(shapes: Any, what: str = "shapes") -> tuple[np.ndarray, int]:
    """Validate a group of shapes and return it as (frames, entities, 3|4) float array and its kind.

    Raises:
        SceneError: wrong shape or dtype, NaN or infinite values, a box with min > max, a
            negative radius, a radius too small or coordinates too large to check safely.
    """
    arr = as_numbers(shapes, what)
    if arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise SceneError(f"{what}: expected float32 or float64 coordinates, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.ndim == 2:
        arr = arr[None]  # static: one frame, broadcast over all frames
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise SceneError(
            f"{what}: expected shape (frames, entities, 4) for boxes or (frames, entities, 3) for "
            f"circles (or a static (entities, 4|3)), got {np.shape(shapes)}"
        )
    if arr.shape[0] == 0:
        raise SceneError(f"{what}: a group needs at least one frame, got shape {arr.shape}")
    kind = BOX if arr.shape[2] == 4 else CIRCLE
    bad = ~np.isfinite(arr)
    if bad.any():
        f, e, c = np.argwhere(bad)[0]
        raise SceneError(f"{what}: non-finite coordinate {arr[f, e, c]!r} at frame {f}, entity {e}, column {c}")
    big = np.abs(arr) > _MAX_COORD if arr.dtype == np.float64 else None  # float32 cannot get there
    if big is not None and big.any():
        f, e, c = np.argwhere(big)[0]
        raise SceneError(f"{what}: coordinate {float(arr[f, e, c])!r} at frame {f}, entity {e} exceeds {_MAX_COORD:g}")
    if kind == BOX:
        inverted = (arr[..., 0] > arr[..., 2]) | (arr[..., 1] > arr[..., 3])
        if inverted.any():
            f, e = np.argwhere(inverted)[0]
            raise SceneError(f"{what}: box with min > max at frame {f}, entity {e}: {arr[f, e].tolist()} (xmin, ymin, xmax, ymax)")
    elif (arr[..., 2] < 0).any():
        f, e = np.argwhere(arr[..., 2] < 0)[0]
        raise SceneError(f"{what}: negative radius at frame {f}, entity {e}: {arr[f, e].tolist()} (cx, cy, r)")
    else:
        # a circle is judged by squared distances: below this radius they underflow, and an overlap
        # would read as a touch (or nothing)
        tiny = (arr[..., 2] > 0) & (arr[..., 2] < _MIN_RADIUS)
        if tiny.any():
            f, e = np.argwhere(tiny)[0]
            raise SceneError(f"{what}: radius {float(arr[f, e, 2])!r} at frame {f}, entity {e} is below "
                             f"{_MIN_RADIUS:g}, too small to check safely (use 0 for a point)")
    return np.ascontiguousarray(arr), kind


def as_numbers(value: Any, what: str) -> np.ndarray:
    """`np.asarray(value)`, refusing what float64 would change: a SceneError naming `what` for a ragged
    list, or for an integer beyond 2**53, in an integer array or as a Python int in a list.

    float64 holds integers exactly only up to 2**53: beyond, 2**53 + 1 reads as 2**53, and a one-unit
    overlap becomes a touch (no contact under touching=False), a one-unit loss no change. NumPy rounds
    such an int into a float array silently when its list holds a float too (`[0.5, 2**53 + 1]`), so a
    list's own ints are looked at, not only the array's dtype.
    """
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise SceneError(f"{what}: not an array of numbers ({exc})") from None
    if not arr.size:
        return arr
    if np.issubdtype(arr.dtype, np.integer):
        if arr.max() > _EXACT_INT or arr.min() < -_EXACT_INT:
            idx = tuple(int(i) for i in np.argwhere((arr > _EXACT_INT) | (arr < -_EXACT_INT))[0])
            _inexact(what, arr[idx], idx)
    elif not isinstance(value, np.ndarray) and arr.dtype.kind in "fO":
        items = np.asarray(value, dtype=object)
        for k, v in enumerate(items.flat):
            if isinstance(v, (int, np.integer)) and not isinstance(v, bool) and abs(int(v)) > _EXACT_INT:
                _inexact(what, v, tuple(int(i) for i in np.unravel_index(k, items.shape)))
    return arr


def _inexact(what: str, value: Any, idx: tuple[int, ...]) -> None:
    raise SceneError(f"{what}: integer {value} at index {idx} is beyond 2**53, which float64 cannot hold exactly; "
                     "rescale it or pass floats")


def _pair_groups(a: Any, b: Any | None) -> tuple[np.ndarray, int, np.ndarray, int, bool]:
    A, ka = as_group(a, "first group")
    if b is None:
        return A, ka, A, ka, True
    B, kb = as_group(b, "second group")
    if A.shape[0] > 1 and B.shape[0] > 1 and A.shape[0] != B.shape[0]:
        raise SceneError(f"groups have different frame counts: {A.shape[0]} and {B.shape[0]} (a static group has 1)")
    if A.dtype != B.dtype:  # one compiled specialisation per dtype, not per mix
        A, B = A.astype(np.float64), B.astype(np.float64)
    return A, ka, B, kb, False


def _run(a: Any, b: Any | None, swept: bool, touching: bool, stop_first: bool):
    from ._numba import contact_frames as kernel  # numba loads on first use, not on import

    A, ka, B, kb, self_pairs = _pair_groups(a, b)
    frames = max(A.shape[0], B.shape[0])
    swept = swept and frames > 1
    steps = frames - 1 if swept else frames
    count = np.zeros(steps, np.int64)
    ia = np.full(steps, -1, np.int64)
    ib = np.full(steps, -1, np.int64)
    toi = np.full(steps, -1.0)
    first = kernel(A, ka, B, kb, self_pairs, swept, not touching, stop_first, count, ia, ib, toi)
    return A, ka, B, kb, swept, FrameContacts(count, ia, ib, toi, int(first))


def contact_frames(a: Any, b: Any | None = None, *, swept: bool = False, touching: bool = True) -> FrameContacts:
    """Contacts at every frame between groups `a` and `b` (or within `a` when `b` is None).

    With `swept=True` entry f covers the motion from frame f to f + 1 (frames - 1 entries).

    Raises:
        SceneError: invalid shapes (see `as_group`) or groups with different frame counts.
    """
    return _run(a, b, swept, touching, stop_first=False)[-1]


def first_contact(a: Any, b: Any | None = None, *, swept: bool = True, touching: bool = True) -> Contact | None:
    """The earliest contact between groups `a` and `b` (or within `a`), or None when they never touch.

    Swept by default: the motion between frames is checked, so tunnelling is a contact.

    Raises:
        SceneError: invalid shapes (see `as_group`) or groups with different frame counts.
    """
    A, ka, B, kb, swept, fc = _run(a, b, swept, touching, stop_first=True)
    f = fc.first
    if f < 0:
        return None
    i, j, t = int(fc.a[f]), int(fc.b[f]), float(fc.toi[f])
    sa = _shape_at(A, f, i, t if swept else 0.0)
    sb = _shape_at(B, f, j, t if swept else 0.0)
    return Contact(frame=f, toi=t, a=i, b=j, point=_contact_point(sa, ka, sb, kb), a_shape=sa, b_shape=sb, swept=swept)


def _shape_at(G: np.ndarray, f: int, e: int, t: float) -> tuple[float, ...]:
    g0 = G[min(f, G.shape[0] - 1), e].astype(np.float64)
    if t == 0.0 or G.shape[0] == 1:
        return tuple(float(v) for v in g0)
    g1 = G[min(f + 1, G.shape[0] - 1), e].astype(np.float64)
    return tuple(float(v) for v in g0 + (g1 - g0) * t)


def _contact_point(sa: tuple, ka: int, sb: tuple, kb: int) -> tuple[float, float]:
    """A point both shapes touch (to rounding): the middle of the overlap, or the nearest point."""
    if ka == BOX and kb == BOX:
        x = (max(sa[0], sb[0]) + min(sa[2], sb[2])) / 2
        y = (max(sa[1], sb[1]) + min(sa[3], sb[3])) / 2
        return (x, y)
    if ka == CIRCLE and kb == CIRCLE:
        r = sa[2] + sb[2]
        w = sa[2] / r if r > 0 else 0.5
        return (sa[0] + (sb[0] - sa[0]) * w, sa[1] + (sb[1] - sa[1]) * w)
    box, circle = (sa, sb) if ka == BOX else (sb, sa)
    return (min(max(circle[0], box[0]), box[2]), min(max(circle[1], box[1]), box[3]))


def kind_name(kind: int) -> str:
    """'box' or 'circle'."""
    return _KIND_NAMES[kind]
