"""Z3 as the reference semantics of a precondition on concrete values (slow; for tests, benchmarks, backend="z3").

The precondition is translated once over symbolic variables; a check binds each variable to its
concrete value (`x == 5`) and asks Z3 whether the clauses are satisfiable: "sat" allows, "unsat"
denies, "unknown" (a time-out) is neither and the guard fails closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._fastpath import BadValue, bounds_of, convert
from ._clauses import leaves
from ._sorts import read_path
from ._z3 import LOCK, Z3

__all__ = ["ReferenceCheck"]


def _measures(t: Any) -> bool:
    """Whether a term takes the length of a string (`len`)."""
    return t.op == "len" or any(_measures(a) for a in t.args)


class ReferenceCheck:
    """Decide a `Precondition` on concrete values with Z3: one solver reused with push/pop, or a fresh one."""

    def __init__(self, precondition: Any, *, timeout_ms: int | None = None) -> None:
        self.precondition = precondition
        self.timeout_ms = timeout_ms
        self.paths: dict[tuple[str, ...], Any] = {}
        for t in precondition.terms:
            leaves(t, self.paths)
        self.session = Z3(timeout_ms)
        self.handles = {p: self.session.var(p, s) for p, s in self.paths.items()}
        self.formula = self.session.conj([self.session.term(t, self.handles) for t in precondition.terms])
        self.session.add(self.formula)
        # decided as a long string argument is, whatever the values: a pushed solver measures a
        # string pinned to a constant (`len(note)`) in time quadratic in its length (z3 5.4: 0.2 s for 100
        # characters, 2 s for 256), and its first push takes in a clause's long literal for minutes, no timeout
        # heeded (`(LIT if c else note) != note`, 300 characters)
        self.by_rewriter = self.session.slow_values or any(_measures(t) for t in precondition.terms)

    def _bindings(self, session: Z3, args: Mapping[str, Any], world: Any) -> list[Any]:
        return [session.equal(handle, value) for handle, value in self._values(session, args, world)]

    def _values(self, session: Z3, args: Mapping[str, Any], world: Any) -> list[tuple[Any, Any]]:
        out = []
        for path, sort in self.paths.items():
            try:
                v = read_path(world, path[1:]) if path[0] == "state" else args[path[1]]
            except (KeyError, AttributeError, TypeError, IndexError):
                raise BadValue(f"{'.'.join(path)} is missing") from None
            pre = self.precondition
            v = convert(path, sort, v, bounds_of(path, pre.schema, getattr(pre, "arg_bounds", None)))
            out.append((self.handles[path], session.value(sort, v)))
        return out

    def decide(self, args: Mapping[str, Any], world: Any) -> tuple[str, str]:
        """("sat" | "unsat" | "unknown", reason) using the one solver, scoped with push/pop."""
        s = self.session
        with LOCK:  # the scope must not interleave with another thread's check on this solver
            had_slow, s.slow_values = s.slow_values, False
            try:
                values = self._values(s, args, world)
            finally:  # a value refused (BadValue) must not clear what the session's own constants need
                slow, s.slow_values = s.slow_values, had_slow or s.slow_values
            if slow or self.by_rewriter:  # a solver takes a string pinned to a long constant in time quadratic
                # in its length, its timeout unheeded (z3 4.x: 8,000 characters, ~7 s for 60,000; 5.x pushed: 60,000),
                # and decides membership in a large bound set slowly or not at all (see _LARGE_SET);
                # every variable has its value, so Z3's rewriter decides at once, a new solver where it cannot
                holds = s.evaluate(self.formula, values)
                if holds is not None:
                    return ("sat" if holds else "unsat"), ""
                return self.decide_fresh(args, world)
            s.push()
            try:
                s.add(*(s.equal(handle, value) for handle, value in values))
                out = s.check(model=False)  # only the status is read
            finally:
                s.pop()
        return out.status, out.reason

    def decide_fresh(self, args: Mapping[str, Any], world: Any) -> tuple[str, str]:
        """The same decision with a new `z3.Solver()` for this check alone (the naive way)."""
        s = Z3(self.timeout_ms)
        s.add(self.formula, *self._bindings(s, args, world))
        out = s.check(model=False)
        return out.status, out.reason
