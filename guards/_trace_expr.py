"""Expressions over state traces: what invariants are declared with; evaluated by one compiled kernel.

    from guards import After, Always, Bounds, Monotonic, NoContact, While, contact, state

    invariants = [
        Monotonic("score"),                                    # the score never decreases
        Bounds("lives", lo=0, hi=3),
        Always(state("alive") | state("game_over")),
        While(state("alive"), NoContact("player", "obstacles")),
        After(contact("player", "obstacles"), state("game_over"), within=5),
    ]

Expressions (`state`, `contact`, arithmetic, comparisons, `&`, `|`, `~`) compile to a postfix
program for one cached stack-machine kernel, so a new invariant costs no compilation. A
violation reports the first frame, the entities and the values.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from decimal import Decimal

from typing import TYPE_CHECKING, Any

import numpy as np

from ._scene import SceneError, contact_frames

if TYPE_CHECKING:
    from ._trace import Trace

__all__ = ["Expr", "contact", "state"]


# Declarations are checked where they are written: a mistake found at the first run denies a correct one
# for a reason that is not its own, and a NaN or infinite tolerance would pass every run (fail open).
def channel(name: Any, what: str) -> str:
    """A channel's name, or a SceneError naming `what` declared it."""
    if not isinstance(name, str) or not name:
        raise SceneError(f"{what}: a channel is named by its text, not {type(name).__name__} {name!r:.60}")
    return name


def pair(a: str, b: str | None, what: str) -> None:
    """Refuse one shape channel named twice: as two groups, each entity would be paired with itself (always
    in contact); the pairs within one channel are what naming it once checks."""
    if b is not None and b == a:
        raise SceneError(f"{what}: {a!r} is named twice, so each entity would touch itself; name it once "
                         f"({what}({a!r})) for two entities of {a!r} touching")


def flag(value: Any, what: str) -> bool:
    """A flag that is True or False ("no" would read as true), or a SceneError naming it."""
    if not isinstance(value, (bool, np.bool_)):
        raise SceneError(f"{what} must be True or False, not {value!r:.60}")
    return bool(value)


def real(value: Any, what: str = "a number") -> float | None:
    """`value` as a float when it is a real number (a `Decimal` too, as money is written; NaN for a NaN), else
    None; a SceneError naming `what` for a number beyond a float's range (10**400), which `float` refuses."""
    if not isinstance(value, (numbers.Real, Decimal)):
        return None
    try:
        return math.nan if isinstance(value, Decimal) and value.is_nan() else float(value)
    except OverflowError:
        raise SceneError(f"{what}: {value!r:.60} is beyond the range of a float (about 1.8e308)") from None


def tolerance(tol: Any, what: str) -> float:
    """A slack that is a finite number >= 0, or a SceneError naming it."""
    value = None if tol.__class__ is bool else real(tol, f"{what}: tol")
    if value is None or not 0 <= value < math.inf:
        raise SceneError(f"{what}: tol must be a finite number >= 0, not {tol!r:.60}")
    return value


def label(name: Any, what: str) -> None:
    """A declared name is text (or None, for the default), else a SceneError naming it."""
    if name is not None and not isinstance(name, str):
        raise SceneError(f"{what}: name must be text, not {type(name).__name__} {name!r:.60}")

_OPS = {"+": 3, "-": 4, "*": 5, "/": 6, "<": 9, "<=": 10, ">": 11, ">=": 12, "==": 13, "!=": 14,
        "&": 15, "|": 16, "min": 18, "max": 19}  # opcodes of guards._numba.eval_program
_LOAD, _PREV, _CONST, _NEG, _ABS, _NOT = 0, 1, 2, 7, 8, 17


class _Program:
    """A postfix program being compiled against one trace."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.ops: list[int] = []
        self.args: list[int] = []
        self.consts: list[float] = []
        self.extra: list[np.ndarray] = []  # per-frame columns computed here, e.g. contact flags
        self.refs: dict[str, tuple[int, bool]] = {}  # label -> (column, is prev) for evidence
        self.depth = self.max_depth = 0

    def emit(self, op: int, arg: int = 0, push: int = 0) -> None:
        self.ops.append(op)
        self.args.append(arg)
        self.depth += push
        self.max_depth = max(self.max_depth, self.depth)

    def column(self, values: np.ndarray) -> int:
        self.extra.append(np.asarray(values, dtype=np.float64))
        return self.trace.matrix.shape[1] + len(self.extra) - 1

    def run(self) -> tuple[np.ndarray, np.ndarray]:
        from ._numba import eval_program

        X = self.trace.matrix
        if self.extra:
            X = np.ascontiguousarray(np.column_stack([X, *self.extra]))
        out = eval_program(np.array(self.ops, np.int64), np.array(self.args, np.int64),
                           np.array(self.consts or [0.0], np.float64), X, self.max_depth)
        return out, X


class Expr(ABC):
    """A per-frame value built from `state(...)`, `contact(...)`, numbers and operators."""

    @abstractmethod
    def _emit(self, p: _Program) -> None:
        """Implemented by each concrete kind."""

    def _bin(self, op: str, other: Any, swap: bool = False) -> Expr:
        other = _lift(other)
        return _Bin(op, other, self) if swap else _Bin(op, self, other)

    __add__ = lambda self, o: self._bin("+", o)  # noqa: E731
    __radd__ = lambda self, o: self._bin("+", o, True)  # noqa: E731
    __sub__ = lambda self, o: self._bin("-", o)  # noqa: E731
    __rsub__ = lambda self, o: self._bin("-", o, True)  # noqa: E731
    __mul__ = lambda self, o: self._bin("*", o)  # noqa: E731
    __rmul__ = lambda self, o: self._bin("*", o, True)  # noqa: E731
    __truediv__ = lambda self, o: self._bin("/", o)  # noqa: E731
    __rtruediv__ = lambda self, o: self._bin("/", o, True)  # noqa: E731
    __lt__ = lambda self, o: self._bin("<", o)  # noqa: E731
    __le__ = lambda self, o: self._bin("<=", o)  # noqa: E731
    __gt__ = lambda self, o: self._bin(">", o)  # noqa: E731
    __ge__ = lambda self, o: self._bin(">=", o)  # noqa: E731
    __eq__ = lambda self, o: self._bin("==", o)  # type: ignore[assignment]  # noqa: E731
    __ne__ = lambda self, o: self._bin("!=", o)  # type: ignore[assignment]  # noqa: E731
    __and__ = lambda self, o: self._bin("&", o)  # noqa: E731
    __rand__ = lambda self, o: self._bin("&", o, True)  # noqa: E731
    __or__ = lambda self, o: self._bin("|", o)  # noqa: E731
    __ror__ = lambda self, o: self._bin("|", o, True)  # noqa: E731
    __neg__ = lambda self: _Un(_NEG, self, "-")  # noqa: E731
    __abs__ = lambda self: _Un(_ABS, self, "abs")  # noqa: E731
    __invert__ = lambda self: _Un(_NOT, self, "~")  # noqa: E731
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        # `a < b < c`, `and`, `or` and `not` would silently drop half of the declaration
        raise TypeError(f"{self!r} has no truth value when declared; use & | ~ and one comparison per term")

    def implies(self, other: Any) -> Expr:
        """`self -> other`: false only at frames where self holds and other does not."""
        return ~self | other

    def min(self, other: Any) -> Expr:
        """The smaller of two values at each frame."""
        return self._bin("min", other)

    def max(self, other: Any) -> Expr:
        """The larger of two values at each frame."""
        return self._bin("max", other)

    def evaluate(self, trace: Trace) -> np.ndarray:
        """The value at every frame (booleans as 1.0 / 0.0), computed by the compiled kernel."""
        p = _Program(trace)
        self._emit(p)
        return p.run()[0]


def _lift(value: Any) -> Expr:
    if isinstance(value, Expr):
        return value
    if isinstance(value, (bool, int, float, np.number)) and not isinstance(value, complex):
        return _Const(real(value, "a number in an invariant expression") if not isinstance(value, np.number)
                      else float(value))
    raise TypeError(f"cannot use {value!r} in an invariant expression; use numbers, state(...) or contact(...)")


class _Const(Expr):
    def __init__(self, value: float) -> None:
        self.value = value

    def _emit(self, p: _Program) -> None:
        p.consts.append(self.value)
        p.emit(_CONST, len(p.consts) - 1, push=1)

    def __repr__(self) -> str:
        return repr(self.value)


class _State(Expr):
    def __init__(self, name: str, index: int | None, prev: bool = False) -> None:
        self.name, self.index, self.is_prev = name, index, prev

    def prev(self) -> Expr:
        """The value at the previous frame (at frame 0, frame 0's own value)."""
        return _State(self.name, self.index, prev=True)

    def _emit(self, p: _Program) -> None:
        lo, hi = p.trace.span(self.name)
        if self.index is None and hi - lo != 1:
            raise SceneError(f"state({self.name!r}) has {hi - lo} entities; pick one with state({self.name!r}, i)")
        k = 0 if self.index is None else self.index
        if not 0 <= k < hi - lo:
            raise SceneError(f"state({self.name!r}, {k}): the channel has {hi - lo} entities")
        p.refs[repr(self)] = (lo + k, self.is_prev)
        p.emit(_PREV if self.is_prev else _LOAD, lo + k, push=1)

    def __repr__(self) -> str:
        s = self.name if self.index is None else f"{self.name}[{self.index}]"
        return f"prev({s})" if self.is_prev else s


class _Contact(Expr):
    def __init__(self, a: str, b: str | None, swept: bool, touching: bool) -> None:
        self.a, self.b, self.swept, self.touching = a, b, swept, touching

    def _emit(self, p: _Program) -> None:
        t = p.trace
        fc = contact_frames(t.group(self.a), None if self.b is None else t.group(self.b),
                            swept=self.swept, touching=self.touching)
        hit = fc.count > 0
        flags = np.zeros(t.frames)
        a, b = t.group(self.a), t.group(self.b or self.a)
        if a.shape[0] == 1 and b.shape[0] == 1:  # two static groups: as they stand at every frame
            flags[:] = hit[0]
        elif self.swept and len(hit) < t.frames:
            # step f -> f + 1 is charged to frame f + 1, the first frame by which the contact has
            # happened; frame 0 has no step before it, so it takes the overlap at frame 0
            flags[1:] = hit
            flags[0] = contact_frames(t.group(self.a), None if self.b is None else t.group(self.b),
                                      swept=False, touching=self.touching).count[0] > 0
        else:
            flags[: len(hit)] = hit
        col = p.column(flags)
        p.refs[repr(self)] = (col, False)
        p.emit(_LOAD, col, push=1)

    def __repr__(self) -> str:
        return f"contact({self.a!r}{'' if self.b is None else f', {self.b!r}'})"


class _Bin(Expr):
    def __init__(self, op: str, left: Expr, right: Expr) -> None:
        self.op, self.left, self.right = op, left, right

    def _emit(self, p: _Program) -> None:
        self.left._emit(p)
        self.right._emit(p)
        p.emit(_OPS[self.op], push=-1)

    def __repr__(self) -> str:
        if self.op in ("min", "max"):
            return f"{self.op}({self.left!r}, {self.right!r})"
        return f"({self.left!r} {self.op} {self.right!r})"


class _Un(Expr):
    def __init__(self, op: int, inner: Expr, text: str) -> None:
        self.op, self.inner, self.text = op, inner, text

    def _emit(self, p: _Program) -> None:
        self.inner._emit(p)
        p.emit(self.op)

    def __repr__(self) -> str:
        return f"abs({self.inner!r})" if self.text == "abs" else f"{self.text}{self.inner!r}"


def state(name: str, index: int | None = None) -> Expr:
    """The value of a trace channel at each frame; `index` picks one entity of a vector channel."""
    channel(name, "state()")
    if index is not None and (index.__class__ is bool or not isinstance(index, numbers.Integral) or index < 0):
        raise SceneError(f"state({name!r}): index must be a whole number >= 0 (an entity), not {index!r:.60}")
    return _State(name, None if index is None else int(index))


def contact(a: str, b: str | None = None, *, swept: bool = True, touching: bool = True) -> Expr:
    """1.0 at frames where shape channel `a` touches `b` (or two entities of `a` touch), else 0.0.

    Swept by default, like `NoContact`: frame f is 1.0 when the shapes touch at any time of the
    motion from frame f - 1 to f (frame 0: when they overlap at frame 0), so a tunnel between two
    frames sets the frame at which it has happened and `After(contact(...), ...)` fires on it.
    A contact that ends at frame f - 1 also sets frame f. `swept=False` is the overlap at each frame.
    """
    channel(a, "contact()")
    if b is not None:
        channel(b, "contact()")
        pair(a, b, "contact")
    return _Contact(a, b, flag(swept, "contact(): swept"), flag(touching, "contact(): touching"))
