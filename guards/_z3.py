"""The only module that imports z3: terms to Z3 expressions, solving, models, unsat cores.

Other modules hold Z3 expressions as opaque handles and call the `Z3` session below. Every
`z3.Z3Exception` is translated into `SolverError` (a `VfaError`). Z3's default context is not
thread-safe and guards run on the chain's worker threads, so every call into Z3 holds one lock.
"""

from __future__ import annotations

import enum
import math
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator

import z3

from vfa import VfaError

from ._clauses import Term, display
from ._fastpath import convert
from ._sorts import Sort

__all__ = ["Outcome", "SolverError", "Z3", "z3_version"]

LOCK = threading.RLock()
_ENUM_SORTS: dict[type[enum.Enum], tuple[Any, dict[Any, Any]]] = {}


class SolverError(VfaError):
    """Z3 failed on a query (a translated `z3.Z3Exception`); a guard that meets it denies."""


@contextmanager
def _translated(what: str) -> Iterator[None]:
    with LOCK:
        try:
            yield
        except z3.Z3Exception as exc:
            raise SolverError(f"Z3 failed while {what}: {exc}") from None


def z3_version() -> str:
    """The z3-solver version in use (recorded by the benchmark)."""
    return z3.get_version_string()


@dataclass
class Outcome:
    """A solver answer: "sat" with a model, "unsat" with the core's labels, or "unknown" with a reason."""

    status: str
    core: list[str] = field(default_factory=list)
    model: Any = None
    reason: str = ""


def _enum_sort(cls: type[enum.Enum]) -> tuple[Any, dict[Any, Any]]:
    # EnumSort names are global in Z3's context; declare each Enum class once, under a unique name.
    if cls not in _ENUM_SORTS:
        srt, consts = z3.EnumSort(f"{cls.__qualname__}#{id(cls):x}", [m.name for m in cls])
        _ENUM_SORTS[cls] = (srt, dict(zip(cls, consts)))
    return _ENUM_SORTS[cls]


def _escape(text: str) -> str:
    """A str as Z3 string-literal source: Z3 decodes `\\u{..}` escapes in `StringVal`, so every character
    other than printable ASCII (the backslash included) is written as its code point, `\\u{5c}`."""
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text
    return "".join(c if " " <= c <= "~" and c != "\\" else f"\\u{{{ord(c):x}}}" for c in text)


_ESCAPED = re.compile(r"\\u\{([0-9a-fA-F]{1,5})\}")


def _unescape(text: str) -> str:
    """A model's string from Z3's printed form (`\\u{..}` escapes; a backslash printed alone is itself)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


# the decimal places an irrational value of a model is read to (as a rational within 10**-40 of it)
_ALGEBRAIC_DIGITS = 40
# past this length a string constant makes a pushed solver's model slow to build (see `model_alone`)
_LONG_STRING = 256
# past this many elements a pushed solver's array reasoning decides membership in a bound set slowly or not at all
# (z3 5.4: 16 strings ~85 ms, 32 ~1.2 s, 50 over its 2 s budget; 1,000 ints over it), the rewriter in ~1 ms
_LARGE_SET = 8
_PIECE = 10 ** 4000
# the budget of a query for a member on which two sets of a model differ (its sets are values: answered at once)
_WITNESS_MS = 1000


def _decimal(n: int) -> str:
    """An int's decimal text, as z3 takes numbers; past the 4,300 digits Python writes at once, in pieces."""
    if n.bit_length() < 13_000:
        return str(n)
    sign, n = ("-", -n) if n < 0 else ("", n)
    pieces: list[int] = []
    while n:
        n, r = divmod(n, _PIECE)
        pieces.append(r)
    return sign + str(pieces[-1]) + "".join(f"{p:04000d}" for p in reversed(pieces[:-1]))


def _is_value(e: Any) -> bool:
    """Whether a Z3 expression is a value itself (a number, string, enum member), the same in every model."""
    return z3.is_int_value(e) or z3.is_rational_value(e) or z3.is_string_value(e) or z3.is_true(e) or \
        z3.is_false(e) or (z3.is_const(e) and e.decl().kind() == z3.Z3_OP_DT_CONSTRUCTOR)


def _stores(v: Any) -> tuple[dict[int, Any], Any] | None:
    """A model's array value written as stores over a constant array: its explicit entries (by the AST id of
    their key: Z3 shares one node per term) and its default; None for another form (a lambda)."""
    table: dict[int, tuple[Any, Any]] = {}
    while z3.is_store(v):
        key = v.arg(1)
        table.setdefault(key.get_id(), (key, v.arg(2)))  # the outermost store of a key is its value
        v = v.arg(0)
    return (table, v.arg(0)) if z3.is_const_array(v) else None


def without_domain(s: Sort) -> Sort:
    """The sort without Literal domains (of itself or its elements)."""
    if s.domain is None and (s.elem is None or s.elem.domain is None):
        return s
    return Sort(s.kind, s.enum, without_domain(s.elem) if s.elem is not None else None)


class Z3:
    """One solver session: declares variables, translates terms, asserts, checks, reads models."""

    def __init__(self, timeout_ms: int | None = None) -> None:
        with _translated("creating a solver"):
            self.solver = z3.Solver()
            if timeout_ms is not None:
                self.solver.set("timeout", max(1, int(timeout_ms)))
        self._tracked: dict[str, Any] = {}
        self.timeout_ms = timeout_ms
        # a value a pushed solver takes in slowly was made: a string constant past _LONG_STRING characters or a
        # set past _LARGE_SET elements (see ReferenceCheck.decide)
        self.slow_values = False
        # a string constant past _LONG_STRING characters was made: its model is built by a new solver (see check);
        # not a large set, whose model the pushed solver builds at once (a new one takes 50 strings in ~4.7 s)
        self.long_strings = False

    # -- sorts, variables, values -------------------------------------------------------------
    @staticmethod
    def sort(s: Sort) -> Any:
        """The Z3 sort of a term sort."""
        if s.kind == "int":
            return z3.IntSort()
        if s.kind == "real":
            return z3.RealSort()
        if s.kind == "bool":
            return z3.BoolSort()
        if s.kind == "str":
            return z3.StringSort()
        if s.kind == "enum":
            return _enum_sort(s.enum)[0]  # type: ignore[arg-type]
        return z3.SetSort(Z3.sort(s.elem))  # type: ignore[arg-type]

    def var(self, path: tuple[str, ...], s: Sort, tag: str = "") -> Any:
        """A fresh Z3 constant for a variable (tag distinguishes the same field at different plan steps)."""
        with _translated(f"declaring {display(path)}"):
            return z3.Const(display(path) + tag, self.sort(s))

    def domain(self, handle: Any, s: Sort, bounds: Iterable[tuple[str, Any]] = ()) -> list[Any]:
        """Constraints every value of the sort satisfies: a Literal's values (a set's: of each element), declared
        bounds."""
        out = []
        with _translated("stating a domain"):
            if s.domain is not None:
                out.append(z3.Or([handle == self.value(s, v) for v in s.domain]))
            if s.kind == "set" and s.elem.domain is not None:  # type: ignore[union-attr]
                # the run time refuses a world whose set holds another value (`convert`), so no state does
                allowed = z3.EmptySet(self.sort(s.elem))  # type: ignore[arg-type]
                for v in s.elem.domain:  # type: ignore[union-attr]
                    allowed = z3.SetAdd(allowed, self.value(s.elem, v))  # type: ignore[arg-type]
                out.append(z3.IsSubset(handle, allowed))
            for op, v in bounds:
                if isinstance(v, float) and not math.isfinite(v):
                    # as the run time's `convert` compares a finite value with it: `le=inf` holds for every
                    # one, `ge=inf` or a NaN for none (Z3 has no value for either)
                    holds = (v > 0) if op in ("lt", "le") else (v < 0) if op in ("gt", "ge") else False
                    if not holds:
                        out.append(z3.BoolVal(False))
                    continue
                c = self.value(Sort("real"), v)
                out.append({"gt": handle > c, "ge": handle >= c, "lt": handle < c, "le": handle <= c}[op])
        return out

    def value(self, s: Sort, v: Any) -> Any:
        """A concrete Python value as a Z3 value of sort `s` (floats exactly, as rationals).

        The value is checked as the fast path checks it (`convert`: no "5" or 5.5 for an int, no str
        for a set); a value that does not fit raises `BadValue`. A Literal's domain is not checked
        here (a pinned world outside it makes the constraints unsatisfiable instead)."""
        v = convert(("value",), without_domain(s), v)
        with _translated(f"converting a {s}"):
            if s.kind == "int":
                return z3.IntVal(_decimal(v))
            if s.kind == "real":
                f = Fraction(v)
                num = z3.RealVal(_decimal(f.numerator))
                return num / z3.RealVal(_decimal(f.denominator)) if f.denominator != 1 else num
            if s.kind == "bool":
                return z3.BoolVal(bool(v))
            if s.kind == "str":
                self.long_strings = self.long_strings or len(v) > _LONG_STRING
                self.slow_values = self.slow_values or self.long_strings
                return z3.StringVal(_escape(v))
            if s.kind == "enum":
                return _enum_sort(s.enum)[1][v]  # type: ignore[index,misc]
            self.slow_values = self.slow_values or len(v) > _LARGE_SET
            result = z3.EmptySet(self.sort(s.elem))  # type: ignore[arg-type]
            for x in v:
                result = z3.SetAdd(result, self.value(s.elem, x))  # type: ignore[arg-type]
            return result

    # -- terms --------------------------------------------------------------------------------
    def term(self, t: Term, env: Mapping[tuple[str, ...], Any]) -> Any:
        """Translate a term; `env` maps each variable path to its Z3 expression."""
        with _translated(f"translating `{t.text}`"):
            return self._term(t, env)

    def _term(self, t: Term, env: Mapping[tuple[str, ...], Any]) -> Any:
        op, a = t.op, t.args
        if op == "const":
            return self.value(t.sort, t.value)
        if op == "var":
            return env[t.value]
        xs = [self._term(x, env) for x in a]
        if op in ("add", "sub", "mul"):
            x, y = self._num(xs[0], t.sort), self._num(xs[1], t.sort)
            return x + y if op == "add" else x - y if op == "sub" else x * y
        if op == "neg":
            return -xs[0]
        if op in ("lt", "le", "gt", "ge", "eq", "ne"):
            x, y = xs
            if a[0].sort.numeric and a[1].sort.numeric and a[0].sort.kind != a[1].sort.kind:
                x, y = self._num(x, Sort("real")), self._num(y, Sort("real"))
            return {"lt": lambda: x < y, "le": lambda: x <= y, "gt": lambda: x > y, "ge": lambda: x >= y,
                    "eq": lambda: x == y, "ne": lambda: x != y}[op]()
        if op == "and":
            return z3.And(xs)
        if op == "or":
            return z3.Or(xs)
        if op == "not":
            return z3.Not(xs[0])
        if op == "implies":
            return z3.Implies(xs[0], xs[1])
        if op == "ite":
            return z3.If(xs[0], self._num(xs[1], t.sort) if t.sort.numeric else xs[1],
                         self._num(xs[2], t.sort) if t.sort.numeric else xs[2])
        if op == "in":
            return z3.Or([self._eq(xs[0], e, a[0].sort, a[i + 1].sort) for i, e in enumerate(xs[1:])])
        if op == "member":
            return self._member(xs[0], xs[1])
        if op == "abs":
            return z3.If(xs[0] >= 0, xs[0], -xs[0])
        if op in ("min", "max"):
            acc = self._num(xs[0], t.sort)
            for x in xs[1:]:
                x = self._num(x, t.sort)
                acc = z3.If(x < acc, x, acc) if op == "min" else z3.If(x > acc, x, acc)
            return acc
        if op == "len":
            return z3.Length(xs[0])
        if op in ("setadd", "setdel"):
            acc = xs[0]
            for e in xs[1:]:
                acc = z3.SetAdd(acc, e) if op == "setadd" else z3.SetDel(acc, e)
            return acc
        raise AssertionError(f"unknown operator {op}")

    @staticmethod
    def _member(x: Any, s: Any) -> Any:
        """x in s, over a set built by adding and removing elements (a pinned world's set, a step's update) as
        equalities with them: a new solver (`model_alone`) decides membership in a bound set of 50 strings in
        ~4.7 s and 1,000 past its budget as an array, at once as equalities."""
        runs: list[tuple[Any, list[Any]]] = []  # (added or removed, elements), the outermost first
        while z3.is_store(s) and (z3.is_true(s.arg(2)) or z3.is_false(s.arg(2))):
            if runs and z3.is_true(runs[-1][0]) == z3.is_true(s.arg(2)):
                runs[-1][1].append(s.arg(1))
            else:
                runs.append((s.arg(2), [s.arg(1)]))
            s = s.arg(0)
        empty = z3.is_K(s) and z3.is_false(s.arg(0))
        acc = z3.BoolVal(False) if empty else z3.IsMember(x, s)
        for added, elems in reversed(runs):  # the outermost store of an element decides its membership
            hit = z3.Or([x == e for e in elems])
            acc = z3.Or(hit, acc) if z3.is_true(added) else z3.And(z3.Not(hit), acc)
        return acc

    @staticmethod
    def _num(x: Any, s: Sort) -> Any:
        return z3.ToReal(x) if s.kind == "real" and z3.is_int(x) else x

    def _eq(self, x: Any, y: Any, sx: Sort, sy: Sort) -> Any:
        if sx.numeric and sy.numeric and sx.kind != sy.kind:
            return self._num(x, Sort("real")) == self._num(y, Sort("real"))
        return x == y

    # -- solving ------------------------------------------------------------------------------
    def add(self, *constraints: Any, label: str | None = None) -> None:
        """Assert constraints; with a label, they are tracked so an unsat core can name them."""
        with _translated("asserting a constraint"):
            if label is None:
                self.solver.add(*constraints)
            else:
                flag = z3.Bool(f"{label}#{len(self._tracked)}")
                self._tracked[str(flag)] = label
                self.solver.assert_and_track(z3.And(*constraints) if len(constraints) != 1 else constraints[0],
                                             flag)

    def push(self) -> None:
        """Open a scope whose assertions `pop` removes."""
        with _translated("pushing"):
            self.solver.push()

    def pop(self) -> None:
        """Drop the assertions of the innermost scope."""
        with _translated("popping"):
            self.solver.pop()

    def check(self, *assumptions: Any, model: bool = True) -> Outcome:
        """Decide the assertions: sat (with a model unless `model=False`), unsat (with the labels of a core)
        or unknown."""
        with _translated("checking"):
            r = self.solver.check(*assumptions)
            if r == z3.sat:
                if not model:  # building a model is not bound by the timeout: asked for only where it is read
                    return Outcome("sat")
                if self.long_strings and self.solver.num_scopes():
                    return self.model_alone(*assumptions)
                return Outcome("sat", model=self.solver.model())
            if r == z3.unsat:
                core = [self._tracked.get(str(c), str(c)) for c in self.solver.unsat_core()]
                return Outcome("unsat", core=list(dict.fromkeys(core)))
            return Outcome("unknown", reason=self.solver.reason_unknown() or "unknown")

    @staticmethod
    def evaluate(formula: Any, values: Sequence[tuple[Any, Any]]) -> bool | None:
        """The truth of a formula with each variable replaced by its value, by Z3's rewriter (no solver: a
        solver takes a string pinned to a long constant in time quadratic in its length, see `decide`);
        None where the rewriter leaves it open (a division by zero, a set it does not reduce)."""
        with _translated("evaluating"):
            ground = z3.simplify(z3.substitute(formula, *values)) if values else z3.simplify(formula)
            return True if z3.is_true(ground) else False if z3.is_false(ground) else None

    def model_alone(self, *assumptions: Any) -> Outcome:
        """A model of the current assertions, from a new solver: once pushed, Z3's incremental engine builds
        the model of a string bound to a long constant in time and memory quadratic in its length (no
        timeout bounds it); a new solver's one-shot engine does not. "unknown" unless it finds one."""
        with _translated("checking for a model"):
            alone = z3.Solver()
            if self.timeout_ms is not None:
                alone.set("timeout", max(1, int(self.timeout_ms)))
            alone.add(self.solver.assertions())
            r = alone.check(*assumptions)
            if r == z3.sat:
                return Outcome("sat", model=alone.model())
            return Outcome("unknown", reason=alone.reason_unknown() or "no model found")

    @staticmethod
    def negate(x: Any) -> Any:
        """The negation of a condition."""
        with _translated("negating"):
            return z3.Not(x)

    @staticmethod
    def conj(xs: Sequence[Any]) -> Any:
        """The conjunction of conditions."""
        with _translated("conjoining"):
            return z3.And(list(xs)) if xs else z3.BoolVal(True)

    @staticmethod
    def equal(x: Any, y: Any) -> Any:
        """x == y as a constraint."""
        with _translated("equating"):
            return x == y

    # -- models -------------------------------------------------------------------------------
    def differing(self, model: Any, a: Any, b: Any, known: Sequence[Any]) -> list[Any]:
        """Members on which the sets `a` and `b` differ in `model`, none of `known` (at most one each way): a
        counterexample reports a set by the candidates it holds, so two sets differing elsewhere read alike."""
        with _translated("reading a model"):
            av, bv = model.eval(a, model_completion=True), model.eval(b, model_completion=True)
            if z3.is_true(z3.simplify(av == bv)):
                return []
            # one `Distinct` over the known values, each once (a thousand `x != k` cost ~0.2 ms apiece to build)
            known = list({k.get_id(): k for k in (k if _is_value(k) else model.eval(k, model_completion=True)
                                                   for k in known)}.values())
            ta, tb = _stores(av), _stores(bv)
            if ta is not None and tb is not None and z3.is_true(ta[1]) == z3.is_true(tb[1]):
                # both listed as stores over one default: they differ on listed keys alone, read off at once
                ids = {k.get_id() for k in known}
                keys = {**ta[0], **tb[0]}
                out: list[Any] = []
                for held, other in ((ta, tb), (tb, ta)):
                    out.extend([key for i, (key, _) in keys.items() if i not in ids
                                and z3.is_true(held[0].get(i, (key, held[1]))[1])
                                and not z3.is_true(other[0].get(i, (key, other[1]))[1])][:1])
                return out
            out = []
            for inside, outside in ((av, bv), (bv, av)):
                # over the model's values alone: no variable is left, so the answer is immediate
                x = z3.FreshConst(av.sort().domain(), "member")
                solver = z3.Solver()
                solver.set("timeout", min(_WITNESS_MS, self.timeout_ms or _WITNESS_MS))  # within the plan's budget
                solver.add(z3.IsMember(x, inside), z3.Not(z3.IsMember(x, outside)))
                if known:
                    solver.add(z3.Distinct(x, *known))
                if solver.check() == z3.sat:
                    out.append(solver.model().eval(x, model_completion=True))
            return out

    def read(self, model: Any, handle: Any, s: Sort, candidates: Sequence[Any] = ()) -> Any:
        """The Python value a model gives a variable: ints, exact reals, strs, enum members, sets."""
        with _translated("reading a model"):
            v = model.eval(handle, model_completion=True)
            if s.kind == "int":
                return v.as_long()
            if s.kind == "real":
                if z3.is_algebraic_value(v):  # an irrational root of nonlinear clauses (s * s == 2): no
                    v = v.approx(_ALGEBRAIC_DIGITS)  # rational is it, so the nearest within 10**-40
                f = Fraction(v.numerator_as_long(), v.denominator_as_long())
                return int(f) if f.denominator == 1 else f  # exact: a counterexample may sit on a boundary
            if s.kind == "bool":
                return z3.is_true(v)
            if s.kind == "str":
                return _unescape(v.as_string())
            if s.kind == "enum":
                return s.enum[str(v)]  # type: ignore[index]
            members = []
            table = _stores(v)
            for c in candidates:  # sets are arrays in Z3: report the elements the policy mentions
                cv = self.value(s.elem, c) if not z3.is_expr(c) else c  # type: ignore[arg-type]
                if table is not None:  # looked up, not evaluated: a pinned set of 1,000 members costs 1,000 lookups
                    key = cv if _is_value(cv) else model.eval(cv, model_completion=True)
                    held = z3.is_true(table[0].get(key.get_id(), (key, table[1]))[1])
                else:
                    held = z3.is_true(model.eval(z3.IsMember(cv, handle), model_completion=True))
                if held:
                    members.append(self.read(model, cv, s.elem))  # type: ignore[arg-type]
            return list(dict.fromkeys(members))
