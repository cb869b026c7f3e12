"""Traces of recorded runs, and the trace verifier: the guard that judges a run against invariants.

A `Trace` holds named channels, each with one row per frame:

- a scalar `(frames,)` (score, alive, game_over) or a vector `(frames, entities)` (hit points
  of each enemy); booleans are stored as 0.0 / 1.0. NaN is allowed: an invariant over a NaN
  value is violated (fail closed), never silently satisfied;
- shapes, always 3-D: `(frames, entities, 4)` boxes or `(frames, entities, 3)` circles, or
  `(1, entities, 4|3)` for static ones, for contact invariants; these must be finite
  (`SceneError` otherwise). A 2-D array is always a vector channel, never guessed to be shapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from vfa import ALLOW, ConfigError, Deny, GuardContext, Proposal
from vfa._guard import check_budget

from ._invariants import Invariant, Violation  # imported for the annotations, so get_type_hints reads them
from ._scene import SceneError, as_group, as_numbers

__all__ = ["Trace", "TraceVerifier", "check_trace"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class Trace:
    """A recorded run: named per-frame channels of state, and shapes for contact checks."""

    def __init__(self, channels: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        data = dict(channels or {}, **more)
        if not data:
            raise SceneError("trace: no channels")
        frames: int | None = None
        blocks: list[np.ndarray] = []
        self.columns: dict[str, tuple[int, int]] = {}
        """Scalar and vector channels: name -> (first, last + 1) column of `matrix`."""
        self.shapes: dict[str, tuple[np.ndarray, int]] = {}
        """Shape channels: name -> ((frames|1, entities, 4|3) array, kind)."""
        width = 0
        for name, value in data.items():
            if not isinstance(name, str) or not _NAME.match(name):
                raise SceneError(f"trace: channel names must be identifiers, got {name!r}")
            # a ragged list (frames or entities of unequal lengths), or an integer float64 would round
            arr = as_numbers(value, f"trace channel {name!r}")
            if arr.ndim == 3:
                group, kind = as_group(arr, f"trace channel {name!r}")
                self.shapes[name] = (group, kind)
                n = group.shape[0]
                if n > 1:
                    frames = _same_frames(frames, n, name)
                continue
            if arr.ndim not in (1, 2):
                raise SceneError(f"trace channel {name!r}: expected (frames,), (frames, entities) or shapes, got {arr.shape}")
            if not (arr.dtype == np.bool_ or np.issubdtype(arr.dtype, np.number)) or np.iscomplexobj(arr):
                raise SceneError(f"trace channel {name!r}: expected numbers or booleans, got dtype {arr.dtype}")
            frames = _same_frames(frames, arr.shape[0], name)
            block = arr.astype(np.float64).reshape(arr.shape[0], -1)
            self.columns[name] = (width, width + block.shape[1])
            width += block.shape[1]
            blocks.append(block)
        self.frames: int = frames if frames is not None else 1
        """Number of frames in the run."""
        self.matrix: np.ndarray = (
            np.ascontiguousarray(np.concatenate(blocks, axis=1)) if blocks else np.zeros((self.frames, 0))
        )
        """All scalar and vector channels side by side, (frames, columns) float64."""

    @classmethod
    def from_frames(cls, frames: Iterable[Mapping[str, Any]]) -> Trace:
        """Build a trace from one state dict per frame, as a play-test records them."""
        rows = list(frames)
        if not rows:
            raise SceneError("trace: no frames")
        keys = list(rows[0])
        for k, row in enumerate(rows):
            if list(row) != keys:
                raise SceneError(f"trace: frame {k} has keys {sorted(row)}, frame 0 has {sorted(keys)}")
        return cls({key: _stacked([as_numbers(row[key], f"trace: frame {k}, {key!r}") for k, row in enumerate(rows)], key)
                    for key in keys})

    def channel(self, name: str) -> np.ndarray:
        """The (frames, entities) values of a scalar or vector channel."""
        lo, hi = self.span(name)
        return self.matrix[:, lo:hi]

    def span(self, name: str) -> tuple[int, int]:
        """The columns of a scalar or vector channel; a clear error for unknown names."""
        if name not in self.columns:
            kind = "a shape channel, usable in contact()" if name in self.shapes else "not in the trace"
            raise SceneError(f"trace: {name!r} is {kind}; value channels: {sorted(self.columns)}")
        return self.columns[name]

    def group(self, name: str) -> np.ndarray:
        """The shapes of a shape channel."""
        if name not in self.shapes:
            raise SceneError(f"trace: {name!r} is not a shape channel; shape channels: {sorted(self.shapes)}")
        return self.shapes[name][0]

    def __repr__(self) -> str:
        return f"Trace(frames={self.frames}, values={sorted(self.columns)}, shapes={sorted(self.shapes)})"


def _stacked(values: list[np.ndarray], key: str) -> np.ndarray:
    """One channel's per-frame values as one array, or a SceneError naming the frame whose shape differs."""
    for k, v in enumerate(values):
        if v.shape != values[0].shape:  # np.stack says only "all input arrays must have the same shape"
            raise SceneError(f"trace: channel {key!r} has shape {v.shape} at frame {k}, {values[0].shape} at frame 0")
    return np.stack(values)


def _same_frames(frames: int | None, n: int, name: str) -> int:
    if frames is not None and n != frames:
        raise SceneError(f"trace channel {name!r} has {n} frames, earlier channels have {frames}")
    if n == 0:
        raise SceneError(f"trace channel {name!r} has no frames")
    return n


def check_trace(trace: Trace | Mapping[str, Any], invariants: Sequence[Invariant]) -> list[Violation]:
    """The first violation of each invariant over a recorded run, earliest frame first.

    Raises:
        SceneError: a malformed trace or an invariant naming channels the trace lacks.
    """
    if not isinstance(trace, Trace):
        trace = Trace(trace)
    invariants = tuple(invariants)  # walked twice below: an iterator spent by the first judged nothing (fail open)
    bad = [inv for inv in invariants if not _is_invariant(inv)]
    if bad:
        raise TypeError(f"check_trace takes invariants (Bounds, Monotonic, NoContact, ...), not {bad[0]!r}")
    found = [v for inv in invariants if (v := inv.first_violation(trace)) is not None]
    return sorted(found, key=lambda v: (v.frame, v.time if v.time is not None else v.frame))


def _is_invariant(obj: Any) -> bool:
    """Whether `obj` is judged as an invariant: it has a `first_violation(trace)` (an `Invariant`, or a user's own)."""
    return callable(getattr(obj, "first_violation", None))


def _default_trace(proposal: Proposal, context: GuardContext) -> Any:
    try:
        return proposal.args["trace"]
    except KeyError:  # applied to every tool by default: a call of another tool would be denied by "KeyError: 'trace'"
        raise SceneError(f"tool {proposal.tool!r}: no 'trace' argument to judge; pass trace= to TraceVerifier, "
                         "or tools= for the tools whose calls carry a run") from None


class TraceVerifier:
    """A guard that judges a recorded run of a program against invariants; a violation is a Deny.

    Args:
        invariants: the invariants the run must satisfy.
        trace: `(proposal, context) -> Trace | mapping of channels`, where the recorded run is;
            default `proposal.args["trace"]`.
        tools: the tools it applies to (None: every tool).
        name: the guard's name in verdicts and spans.
        timeout_s: this guard's time budget.
    """

    def __init__(
        self,
        invariants: Sequence[Invariant],
        *,
        trace: Callable[[Proposal, GuardContext], Any] | None = None,
        tools: Sequence[str] | None = None,
        name: str = "trace_verifier",
        timeout_s: float | None = None,
    ) -> None:
        if _is_invariant(invariants):  # one invariant, not in a list: "'Bounds' object is not iterable"
            raise TypeError(f"TraceVerifier takes a list of invariants, got one: [{invariants!r}]")
        if isinstance(invariants, (str, bytes)) or not isinstance(invariants, Iterable):
            raise TypeError(f"TraceVerifier: invariants must be a list of invariants, not {invariants!r:.60}")
        self.invariants = tuple(invariants)
        bad = [inv for inv in self.invariants if not _is_invariant(inv)]
        if bad:  # else every call is denied by the TypeError check_trace raises at the first run
            raise TypeError(f"TraceVerifier: invariants must be Bounds, Monotonic, NoContact, ..., not {bad[0]!r:.60}")
        if not self.invariants:  # a verifier of nothing allows every run
            raise ConfigError("TraceVerifier: no invariants: give at least one the run must satisfy")
        if not isinstance(name, str):
            raise TypeError(f"TraceVerifier: name must be text, not {type(name).__name__} {name!r:.60}")
        if trace is not None and not callable(trace):
            raise TypeError(f"TraceVerifier: trace must be a function (proposal, context) -> trace, not {trace!r:.60}")
        check_budget(timeout_s, f"TraceVerifier {name!r}: timeout_s")
        self.name = name
        if isinstance(tools, str):  # read as names it would be its letters: a guard that judges no call
            raise ConfigError(f"TraceVerifier: tools must be a list of tool names, got the string {tools!r}")
        self.tools = frozenset(tools) if tools is not None else None
        self.timeout_s = timeout_s
        self._trace = trace or _default_trace

    def warm(self) -> None:
        """Compile the trace kernels (or load them from numba's cache) before the first check."""
        from ._warm import warm

        warm("trace")

    def verify(self, trace: Trace | Mapping[str, Any]) -> list[Violation]:
        """The first violation of each invariant, earliest first; empty when the run is correct."""
        return check_trace(trace, self.invariants)

    def check(self, proposal: Proposal, context: GuardContext) -> Deny | Any:
        """Deny with the earliest violation (all first violations in the evidence), else allow."""
        violations = self.verify(self._trace(proposal, context))
        if not violations:
            return ALLOW
        first = violations[0]
        return Deny(
            reason=f"{proposal.tool} denied by {self.name}: {first.message}",
            evidence={"violation": first.to_evidence(), "violations": [v.to_evidence() for v in violations]},
        )

    def __repr__(self) -> str:
        return f"TraceVerifier({len(self.invariants)} invariants, name={self.name!r})"
