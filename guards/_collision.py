"""The collision guard: a proposed motion is denied if its swept path touches an obstacle.

The proposed trajectory (waypoints of the agent's centre, or full shape arrays for agents with
several parts) and the world's obstacles are checked with the swept kernels, so a path that
passes through a thin wall between two waypoints is denied, and the denial names the first
contact: the waypoint segment, the obstacle, the time of impact and the contact point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from vfa import ALLOW, ConfigError, Deny, GuardContext, Proposal
from vfa._guard import check_budget

from ._scene import Contact, SceneError, as_group, as_numbers, first_contact

__all__ = ["CollisionGuard", "path_shapes"]

Body = tuple[float, float] | float


def path_shapes(centers: Any, body: Body) -> np.ndarray:
    """Turn a path of centres (k, 2) into shapes (k, 1, 4|3) for a body of size (w, h) or radius r.

    Raises:
        SceneError: the centres are not a (k, 2) array of finite numbers, or the body is invalid.
    """
    c = as_numbers(centers, "path").astype(np.float64)
    if c.ndim != 2 or c.shape[1] != 2 or c.shape[0] == 0:
        raise SceneError(f"path: expected waypoints of shape (k, 2), got {np.shape(centers)}")
    if not np.isfinite(c).all():
        k = int(np.argwhere(~np.isfinite(c))[0][0])
        raise SceneError(f"path: non-finite waypoint {k}: {c[k].tolist()}")
    if np.ndim(body) == 0:
        r = float(as_numbers(body, "path: body radius"))
        if not (np.isfinite(r) and r >= 0):
            raise SceneError(f"path: body radius must be finite and >= 0, got {body!r}")
        return np.concatenate([c, np.full((len(c), 1), r)], axis=1)[:, None, :]
    size = as_numbers(body, "path: body").astype(np.float64)
    if size.shape != (2,) or not (np.isfinite(size).all() and (size >= 0).all()):
        raise SceneError(f"path: body must be a radius or a (width, height) pair >= 0, got {body!r}")
    half = size / 2
    return np.concatenate([c - half, c + half], axis=1)[:, None, :]


def _default_path(proposal: Proposal, context: GuardContext) -> Any:
    try:
        return proposal.args["waypoints"]
    except KeyError:
        raise SceneError(f"tool {proposal.tool!r}: no 'waypoints' argument; pass path= to CollisionGuard") from None


def _default_obstacles(context: GuardContext) -> Any:
    world = context.world
    if isinstance(world, Mapping) and "obstacles" in world:
        return world["obstacles"]
    if hasattr(world, "obstacles"):
        return world.obstacles
    raise SceneError("world has no 'obstacles'; pass obstacles= to CollisionGuard")


class CollisionGuard:
    """Deny a proposed motion whose swept path touches an obstacle; the evidence is the first contact.

    Args:
        tools: the tools whose proposals are motions (default `("move",)`; None: every tool).
        path: `(proposal, context) -> waypoints (k, 2)` (or shapes `(k, n, 4|3)` with
            `shape_paths=True`); default `proposal.args["waypoints"]`.
        body: the agent's size, `(width, height)` for a box or a radius for a circle, or
            `(proposal, context) -> size`; needed when `path` gives centres.
        shape_paths: accept full shape paths `(k, n, 4|3)` from `path` (default False). Off by
            default because the path usually comes from the proposal: an agent sending shapes
            would describe its own size (a point, say) and bypass the configured `body`. Cannot
            be combined with `body`.
        start: `(proposal, context) -> (x, y)`, the current position, prepended to the path so
            the leg from where the agent is to the first waypoint is checked too. Required,
            unless `allow_no_start=True`.
        allow_no_start: declare that the path's first waypoint (or first frame of a shape path)
            is the current position, so no start is needed; a path of one waypoint is then
            refused (there is no motion to sweep, and the way there is unknown).
        obstacles: `context -> obstacles`: a group of boxes `(n, 4)` / circles `(n, 3)`, or a
            list or mapping of groups (nested lists are static groups side by side); a group
            moving in step with the path, `(k, n, 4|3)`, must be an ndarray (or, with
            `moving=True`, a plain list of frames). None is an error. Default
            `context.world["obstacles"]` or `context.world.obstacles`.
        moving: read a plain list of frames of rows as one moving obstacle group (default False).
        touching: an exact touch counts as a contact (default True: fail closed).
        name: the guard's name in verdicts and spans.
        timeout_s: this guard's time budget.
    """

    def __init__(
        self,
        *,
        tools: Sequence[str] | None = ("move",),
        path: Callable[[Proposal, GuardContext], Any] | None = None,
        body: Body | Callable[[Proposal, GuardContext], Body] | None = None,
        start: Callable[[Proposal, GuardContext], Any] | None = None,
        obstacles: Callable[[GuardContext], Any] | None = None,
        touching: bool = True,
        shape_paths: bool = False,
        allow_no_start: bool = False,
        moving: bool = False,
        name: str = "collision",
        timeout_s: float | None = None,
    ) -> None:
        if isinstance(tools, str):
            raise ConfigError(f"CollisionGuard: tools must be a list of tool names, got the string {tools!r}")
        if not isinstance(name, str):
            raise TypeError(f"CollisionGuard: name must be text, not {type(name).__name__} {name!r:.60}")
        for what, reader in (("path", path), ("start", start), ("obstacles", obstacles)):
            if reader is not None and not callable(reader):  # else every call is denied: "'list' object is not callable"
                raise TypeError(f"CollisionGuard: {what} must be a function that reads it, not {reader!r:.60}")
        check_budget(timeout_s, f"CollisionGuard {name!r}: timeout_s")
        if shape_paths and body is not None:
            raise ConfigError("CollisionGuard: shape_paths=True takes the agent's size from the path; drop body=")
        if start is None and not allow_no_start:
            raise ConfigError(
                "CollisionGuard: pass start= (the current position, so the first leg is checked), or "
                "allow_no_start=True if the path's first waypoint is always the current position"
            )
        if start is not None and shape_paths:
            raise ConfigError("CollisionGuard: start= needs a path of centres; a shape path starts at its first frame")
        if body is not None and not callable(body):
            try:  # a size no path could be checked with: said now, not at the first call
                as_group(path_shapes(np.zeros((1, 2)), body), "body")
            except SceneError as exc:
                raise ConfigError(f"CollisionGuard: body={body!r} cannot be checked: {exc}") from None
        self.name = name
        self.shape_paths = bool(shape_paths)
        self.moving = bool(moving)
        self.tools = frozenset(tools) if tools is not None else None
        self.timeout_s = timeout_s
        self._path = path or _default_path
        self._body = body
        self._start = start
        self._obstacles = obstacles or _default_obstacles
        self.touching = touching

    def warm(self) -> None:
        """Compile the collision kernels (or load them from numba's cache) before the first check."""
        from ._warm import warm

        warm("collision")

    def shapes(self, proposal: Proposal, context: GuardContext) -> np.ndarray:
        """The proposed motion as shapes (k, n, 4|3), start included."""
        raw = self._path(proposal, context)
        arr = _array(raw, f"{self.name}: path")
        if arr.ndim == 2 and arr.shape[1] == 2:
            body = self._body(proposal, context) if callable(self._body) else self._body
            if body is None:
                raise ConfigError(f"{self.name}: the path gives centres but no body size was declared (body=)")
            if self._start is not None:
                # each part checked alone first, so a denial names the proposal's own waypoint (or the start),
                # not its index in the joined path (one off: a NaN start was blamed on waypoint 0)
                path_shapes(arr, body)
                arr = np.concatenate([self._here(proposal, context), arr])
            return self._swept(path_shapes(arr, body))
        if arr.ndim != 3:
            raise SceneError(f"{self.name}: path must be waypoints (k, 2) or shapes (k, n, 4|3), got shape {arr.shape}")
        if not self.shape_paths:
            # a proposal must not pick its own size: shapes from the path would bypass body=
            raise SceneError(
                f"{self.name}: the path gives shapes {arr.shape}, but this guard takes waypoints (k, 2) and "
                "the configured body; pass shape_paths=True to accept shape paths"
            )
        return self._swept(arr)

    def _here(self, proposal: Proposal, context: GuardContext) -> np.ndarray:
        """The current position from `start`, as one (1, 2) waypoint, or a SceneError naming the start."""
        raw = self._start(proposal, context)  # type: ignore[misc]
        here = _array(raw, f"{self.name}: start")
        if here.size != 2 or not (np.issubdtype(here.dtype, np.number) or here.dtype == np.bool_):
            raise SceneError(f"{self.name}: start must be the current position (x, y), got {raw!r:.60}")
        here = here.astype(np.float64)
        if not np.isfinite(here).all():
            raise SceneError(f"{self.name}: start (the current position) is not finite: {here.tolist()}")
        return here.reshape(1, 2)

    def _swept(self, arr: np.ndarray) -> np.ndarray:
        # one frame is a discrete check of where the agent ends, not of how it gets there
        if arr.shape[0] < 2:
            raise SceneError(
                f"{self.name}: a path of {arr.shape[0]} waypoint(s) and no start: the motion to it cannot be "
                "checked; pass start= (the current position)"
            )
        return arr

    def first_contact(self, proposal: Proposal, context: GuardContext) -> tuple[Contact, int] | None:
        """The earliest contact of the proposed motion with any obstacle group, and that group's index."""
        moving = self.shapes(proposal, context)
        groups = _obstacle_groups(self._obstacles(context), self.moving)
        best: tuple[Contact, int] | None = None
        for g, obstacles in enumerate(groups):
            if obstacles is None:  # an empty group: no contact, but it keeps its index
                continue
            contact = first_contact(moving, obstacles, swept=True, touching=self.touching)
            if contact is not None and (best is None or contact.time < best[0].time):
                best = (contact, g)
        return best

    def check(self, proposal: Proposal, context: GuardContext) -> Deny | Any:
        """Allow a motion whose swept path is clear; deny with the first contact otherwise."""
        found = self.first_contact(proposal, context)
        if found is None:
            return ALLOW
        contact, group = found
        kind = "box" if len(contact.b_shape) == 4 else "circle"
        x, y = contact.point
        # scene frame f -> the proposal's waypoints: with a start, frame 0 is the start and frame
        # f is waypoint f - 1; without one, frame f is waypoint f
        offset = 1 if self._start is not None else 0

        def waypoint(f: int) -> int | str:
            return "start" if f < offset else f - offset

        def named(w: int | str) -> str:
            return "the start" if w == "start" else f"waypoint {w}"

        evidence = contact.to_evidence()
        if contact.swept:
            leg = [waypoint(contact.frame), waypoint(contact.frame + 1)]
            where = (f"on the leg from {named(leg[0])} to {named(leg[1])} at time of impact {contact.toi:.3f}")
            evidence.update(leg=leg)
        else:
            at = waypoint(contact.frame)
            where = f"at {named(at)}"
            evidence.update(leg=None, waypoint=at)
        reason = (
            f"{proposal.tool} denied by {self.name}: the path touches {kind} obstacle {contact.b} "
            f"{where}, at point ({x:.3f}, {y:.3f})"
        )
        evidence.update(obstacle_group=group, obstacle_kind=kind)
        return Deny(reason=reason, evidence=evidence)

    def __repr__(self) -> str:
        return f"CollisionGuard(name={self.name!r}, tools={sorted(self.tools) if self.tools else None})"


def _is_row(value: Any) -> bool:
    """One shape row: a flat sequence of numbers (a box or a circle)."""
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    # an empty list is an empty group, not a row: `[[], posts]` is two groups
    return isinstance(value, (list, tuple)) and len(value) > 0 and all(isinstance(v, (int, float, np.number)) for v in value)


def _obstacle_groups(value: Any, moving: bool = False) -> list[np.ndarray | None]:
    """The obstacle groups in `value`, each an array for `as_group` (None for an empty one).

    A 2-D array (or a list of rows) is a static group; a mapping or a list of groups holds
    several, nested as deep as they like. An empty group is None, so each group keeps the index
    it is declared at (a denial names it). A 3-D (moving) group is accepted only as an explicit
    ndarray, or, with `moving=True`, as a plain list of frames of rows: a plain nested list is
    otherwise read as static groups side by side, never as one obstacle moving across them.

    Raises:
        SceneError: None, or something that is neither an array, a list nor a mapping.
    """
    out: list[np.ndarray | None] = []
    _collect_groups(value, moving, out, "obstacles")
    return out


def _collect_groups(value: Any, moving: bool, out: list[np.ndarray | None], where: str) -> None:
    if value is None:
        raise SceneError(f"{where}: None is not a set of obstacles (use an empty list for none)")
    if isinstance(value, Mapping):
        for key, v in value.items():
            _collect_groups(v, moving, out, f"{where}[{key!r}]")
        return
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            _collect_groups(list(value), moving, out, where)
        elif value.size:
            out.append(value)  # as_group validates the shape: 2-D static, 3-D moving
        elif value.ndim not in (2, 3) or value.shape[-1] not in (3, 4):
            raise SceneError(f"{where}: empty array of shape {value.shape} is not a group of boxes or circles")
        elif value.ndim == 3 and value.shape[1]:  # n obstacles placed at no frame: where they are is unknown
            raise SceneError(f"{where}: a moving group of {value.shape[1]} obstacles needs at least one frame, "
                             f"got shape {value.shape}")
        else:
            out.append(None)
        return
    if isinstance(value, (list, tuple)):
        if not value:
            out.append(None)
            return
        if _is_row(value[0]):  # a list of rows: one static group
            out.append(_array(value, where))
            return
        if moving and all(isinstance(v, (list, tuple)) and v and all(_is_row(r) for r in v) for v in value):
            out.append(_array(value, where))  # frames of rows: one moving group, declared by moving=True
            return
        for k, v in enumerate(value):
            _collect_groups(v, moving, out, f"{where}[{k}]")
        return
    raise SceneError(f"{where}: expected an array of boxes (n, 4) or circles (n, 3), a list or a mapping, got {type(value).__name__}")


def _array(value: Any, where: str) -> np.ndarray:
    """`np.asarray(value)`, or a `SceneError` naming `where` (a ragged list is no array, an integer beyond 2**53
    no float: `as_numbers`)."""
    return as_numbers(value, where)
