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

from ._scene import Contact, SceneError, first_contact

__all__ = ["CollisionGuard", "path_shapes"]

Body = tuple[float, float] | float


def path_shapes(centers: Any, body: Body) -> np.ndarray:
    """Turn a path of centres (k, 2) into shapes (k, 1, 4|3) for a body of size (w, h) or radius r.

    Raises:
        SceneError: the centres are not a (k, 2) array of finite numbers, or the body is invalid.
    """
    c = np.asarray(centers, dtype=np.float64)
    if c.ndim != 2 or c.shape[1] != 2 or c.shape[0] == 0:
        raise SceneError(f"path: expected waypoints of shape (k, 2), got {np.shape(centers)}")
    if not np.isfinite(c).all():
        k = int(np.argwhere(~np.isfinite(c))[0][0])
        raise SceneError(f"path: non-finite waypoint {k}: {c[k].tolist()}")
    if np.ndim(body) == 0:
        r = float(body)  # type: ignore[arg-type]
        if not (np.isfinite(r) and r >= 0):
            raise SceneError(f"path: body radius must be finite and >= 0, got {body!r}")
        return np.concatenate([c, np.full((len(c), 1), r)], axis=1)[:, None, :]
    size = np.asarray(body, dtype=np.float64)
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
        obstacles: `context -> array or list of arrays`: boxes `(n, 4)` / circles `(n, 3)`, static,
            or `(k, n, 4|3)` moving in step with the path; default `context.world["obstacles"]`
            or `context.world.obstacles`.
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
        name: str = "collision",
        timeout_s: float | None = None,
    ) -> None:
        if isinstance(tools, str):
            raise ConfigError(f"CollisionGuard: tools must be a list of tool names, got the string {tools!r}")
        if shape_paths and body is not None:
            raise ConfigError(f"CollisionGuard: shape_paths=True takes the agent's size from the path; drop body=")
        if start is None and not allow_no_start:
            raise ConfigError(
                "CollisionGuard: pass start= (the current position, so the first leg is checked), or "
                "allow_no_start=True if the path's first waypoint is always the current position"
            )
        if start is not None and shape_paths:
            raise ConfigError("CollisionGuard: start= needs a path of centres; a shape path starts at its first frame")
        self.name = name
        self.shape_paths = bool(shape_paths)
        self.tools = frozenset(tools) if tools is not None else None
        self.timeout_s = timeout_s
        self._path = path or _default_path
        self._body = body
        self._start = start
        self._obstacles = obstacles or _default_obstacles
        self.touching = touching

    def shapes(self, proposal: Proposal, context: GuardContext) -> np.ndarray:
        """The proposed motion as shapes (k, n, 4|3), start included."""
        raw = self._path(proposal, context)
        arr = np.asarray(raw)
        if arr.ndim == 2 and arr.shape[1] == 2:
            body = self._body(proposal, context) if callable(self._body) else self._body
            if body is None:
                raise ConfigError(f"{self.name}: the path gives centres but no body size was declared (body=)")
            if self._start is not None:
                arr = np.concatenate([np.asarray(self._start(proposal, context), dtype=np.float64).reshape(1, 2), arr])
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
        groups = _obstacle_groups(self._obstacles(context))
        best: tuple[Contact, int] | None = None
        for g, obstacles in enumerate(groups):
            if obstacles is None or np.size(obstacles) == 0:
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
        reason = (
            f"{proposal.tool} denied by {self.name}: the path touches {kind} obstacle {contact.b} "
            f"on the leg from waypoint {contact.frame} to {contact.frame + 1} at time of impact "
            f"{contact.toi:.3f}, at point ({x:.3f}, {y:.3f})"
        )
        evidence = contact.to_evidence()
        evidence.update(obstacle_group=group, obstacle_kind=kind, leg=[contact.frame, contact.frame + 1])
        return Deny(reason=reason, evidence=evidence)

    def __repr__(self) -> str:
        return f"CollisionGuard(name={self.name!r}, tools={sorted(self.tools) if self.tools else None})"


def _obstacle_groups(value: Any) -> list[Any]:
    """One group (an array or nested list of numbers) or several: a mapping, or a list of arrays."""
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, (list, tuple)) and value:
        if all(isinstance(v, np.ndarray) for v in value):
            return list(value)
        try:
            np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):  # ragged: boxes and circles side by side
            return list(value)
    return [value]
