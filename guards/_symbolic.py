"""Symbolic states for lint and plan checks: variables declared on first use, and models read back as states.

Shared by `_lint` and `_plans`. A state after a tool call is the state before with the tool's
updates substituted (no fresh variables), so every counterexample is an *initial* state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._clauses import Term, display
from ._fastpath import jsonable
from ._sorts import Schema, Sort
from ._z3 import Z3, without_domain

__all__ = ["LazyVars", "apply_updates", "candidates", "jsonable_tree", "member_elements", "model_state"]


class LazyVars(dict):
    """Variables of one moment, keyed by path; a path read for the first time gets a fresh constant
    and its domain constraint (a Literal's values, declared bounds)."""

    def __init__(
        self,
        session: Z3,
        sorts: Mapping[tuple[str, ...], Sort],
        bounds: Mapping[tuple[str, ...], Iterable[tuple[str, Any]]] | None = None,
        *,
        tag: str = "",
        track: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.sorts = sorts
        self.bounds = bounds or {}
        self.tag = tag
        self.track = track

    def __missing__(self, path: tuple[str, ...]) -> Any:
        sort = self.sorts[path]
        h = self.session.var(path, sort, self.tag)
        self[path] = h
        constraints = self.session.domain(h, sort, self.bounds.get(path, ()))
        if constraints:
            self.session.add(*constraints, label=f"type of {display(path)}" if self.track else None)
        return h


def state_sorts(schema: Schema) -> dict[tuple[str, ...], Sort]:
    """Sorts of the state leaves, keyed by full path ("state", ...)."""
    return {("state", *p): s for p, s in schema.leaves.items()}


def state_bounds(schema: Schema) -> dict[tuple[str, ...], list[tuple[str, Any]]]:
    """Declared bounds of the state leaves, keyed by full path."""
    return {("state", *p): b for p, b in schema.bounds.items()}


def arg_paths(sorts: Mapping[str, Sort], bounds: Mapping[str, Any]) -> tuple[dict, dict]:
    """Argument sorts and bounds keyed by path ("arg", name)."""
    return {("arg", n): s for n, s in sorts.items()}, {("arg", n): b for n, b in bounds.items()}


class Overlay(dict):
    """The variables of a later moment: updated paths here, everything else read from the base."""

    def __init__(self, base: Mapping[tuple[str, ...], Any], updates: Mapping[tuple[str, ...], Any]) -> None:
        super().__init__(updates)
        self.base = base

    def __missing__(self, path: tuple[str, ...]) -> Any:
        return self.base[path]


def apply_updates(session: Z3, posts: Iterable[Any], env: Mapping[tuple[str, ...], Any]) -> Overlay:
    """The state after a tool's postconditions: each update's new value, computed from the state before."""
    new: dict[tuple[str, ...], Any] = {}
    for post in posts:
        for u in post.updates:
            new[("state", *u.path[1:])] = session.term(u.term, env)  # simultaneous: all read `env`
    return Overlay(env, new)


def subterms(terms: Iterable[Term]) -> Iterable[Term]:
    """Every node of the terms, depth first."""
    stack = list(terms)
    while stack:
        t = stack.pop()
        yield t
        stack.extend(t.args)


def candidates(session: Z3, terms: Iterable[Term], elem: Sort, env: Mapping) -> list[Any]:
    """The element expressions the terms mention for a set's element sort, to report its members."""
    out, seen = [], set()
    for t in subterms(terms):
        if t.op == "var" and not dict.__contains__(env, t.value):
            continue  # a variable of another moment or namespace; the caller passes those as `extra`
        if t.op in ("var", "const") and t.sort.same(elem):
            key = (t.op, repr(t.value))
            if key not in seen:
                seen.add(key)
                out.append(session.term(t, env))
    return out


def member_elements(session: Z3, terms: Iterable[Term], env: Mapping, out: dict[Sort, list[Any]]) -> None:
    """Add to `out`, by element sort (without its Literal values), the element of every membership test in the
    terms as `env` computes it, and every element a set update adds or removes: a set is reported by the
    candidates it holds, and `state.n + 1 in state.used`, or `state.n in state.used` after `state.n += 1`, tests
    a value no variable or constant of a clause is, as `state.a -= {'x'}` breaks `state.a == state.b` only
    from sets holding 'x'."""
    for t in subterms(terms):
        if t.op == "member":
            out.setdefault(without_domain(t.args[1].sort.elem), []).append(session.term(t.args[0], env))  # type: ignore[arg-type]
        elif t.op in ("setadd", "setdel"):
            elems = out.setdefault(without_domain(t.sort.elem), [])  # type: ignore[arg-type]
            elems.extend(session.term(e, env) for e in t.args[1:])


def model_state(session: Z3, model: Any, env: Mapping[tuple[str, ...], Any], terms: Iterable[Term],
                sorts: Mapping[tuple[str, ...], Sort], extra: Mapping[Sort, list[Any]] | None = None) -> dict[str, Any]:
    """The values a model gives the declared variables (raw: enum members, Fractions), nested per namespace;
    `extra` offers more possible members of a set, by element sort (without its Literal values)."""
    terms = list(terms)
    out: dict[str, Any] = {}
    paths = sorted(dict.keys(env))
    cands: dict[tuple[str, ...], list[Any]] = {
        path: [*candidates(session, terms, sorts[path].elem, env), *(extra or {}).get(without_domain(sorts[path].elem), ())]
        for path in paths if sorts[path].kind == "set"}
    # two sets of one element sort that the model tells apart on a member no clause names would be reported
    # alike (`approved == requested` failing on two empty sets): a member each way on which they differ joins the
    # candidates of every set of that sort
    sets = list(cands)
    for i, a in enumerate(sets):
        for b in sets[i + 1:]:
            if without_domain(sorts[a].elem) == without_domain(sorts[b].elem):
                found = session.differing(model, dict.__getitem__(env, a), dict.__getitem__(env, b), cands[a])
                for path in sets:
                    if without_domain(sorts[path].elem) == without_domain(sorts[a].elem):
                        cands[path].extend(found)
    for path in paths:
        sort = sorts[path]
        value = session.read(model, dict.__getitem__(env, path), sort, cands.get(path, ()))
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out


def jsonable_tree(tree: Any) -> Any:
    """A nested dict of raw values made JSON-ready for evidence."""
    if isinstance(tree, dict):
        return {k: jsonable_tree(v) for k, v in tree.items()}
    return jsonable(tree)
