"""The fast path: parsed clauses compiled once into one Python function over concrete values.

Z3 is the reference semantics; this module must agree with it on every concrete input (the
differential test in tests/test_preconditions.py checks thousands). What makes the two agree:

- ints are Python ints (unbounded, like Z3's Int);
- real arithmetic runs on `fractions.Fraction` (exact, like Z3's Real); comparisons of ints and
  floats are already exact in Python, so they need no conversion;
- every value read from the arguments or the world is checked against its declared sort (a NaN, a
  str where an int was declared) and raises `BadValue`, which the guard turns into a deny.

Code is generated only from our own validated `Term` tree. The generated source holds our own
identifiers (`check`, `v0`, `_k3`, ...), operators, and `repr` of exact `int` (within the digits
Python writes), `bool` and `str` values (constants, argument names and field names, the latter checked
to be identifiers); every other object (floats, enum members, sets, converters, a larger int) is bound
in the function's namespace. The
tool's name never enters the source: it is only set on the compiled function's `__name__` and
`__qualname__` and, sanitised, in the code object's file name.
"""

from __future__ import annotations

import decimal
import enum
import functools
import keyword
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from ._clauses import Term, display, leaves
from ._sorts import Schema, Sort, read_path

__all__ = ["BadValue", "compile_check", "evaluate", "explain", "jsonable"]

_CMP = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_ARITH = {"add": "+", "sub": "-", "mul": "*"}
_OPS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}


def _is_real_arith(t: Term) -> bool:
    return t.sort.kind == "real" and t.op in ("add", "sub", "mul", "neg")


class BadValue(ValueError):
    """A value read for a precondition does not fit its declared sort (or is missing)."""


_MAX_CHAR = "\U0002ffff"  # Z3's largest character (its unicode encoding has 18 bits)
_BOUND_OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


def _bad(path: tuple[str, ...], sort: Sort, v: Any, why: str = "") -> BadValue:
    return BadValue(f"{display(path)} = {v!r} is not a valid {sort}{why}")


def _scalar(path: tuple[str, ...], sort: Sort, v: Any) -> Any:
    """The canonical value of a scalar of this sort (exact int/str, enum member), or `BadValue`."""
    kind = sort.kind
    if kind == "enum":
        try:
            m = sort.enum(v)  # type: ignore[misc]  # a member maps to itself; a raw value (use_enum_values) to its member
        except (ValueError, TypeError):
            m = None
        if m in _members(sort.enum):  # not a Flag's combination: Z3's enum sort and the lint know the members only
            return m
        raise BadValue(f"{display(path)} = {v!r} is not a member of {sort.enum.__name__}")  # type: ignore[union-attr]
    if kind == "bool":
        if v.__class__ is bool:
            return v
    elif kind == "int":
        if isinstance(v, int) and not isinstance(v, bool):
            v = v if v.__class__ is int else int.__int__(v)
            if sort.domain is None or v in sort.domain:
                return v
            raise _bad(path, sort, v, f" (one of {list(sort.domain)!r})")
    elif kind == "str":
        if isinstance(v, str):
            v = v if v.__class__ is str else str.__str__(v)
            if not v.isascii() and max(v) > _MAX_CHAR:
                raise _bad(path, sort, v, " (it holds a character beyond U+2FFFF, which Z3 cannot represent)")
            if sort.domain is None or v in sort.domain:
                return v
            raise _bad(path, sort, v, f" (one of {list(sort.domain)!r})")
    elif kind == "real":
        if isinstance(v, (int, float, Fraction)) and not isinstance(v, bool):
            if isinstance(v, int):
                return v if v.__class__ is int else int.__int__(v)
            if isinstance(v, float):
                v = v if v.__class__ is float else float.__float__(v)
                if math.isfinite(v):
                    return v
            else:
                return v if v.__class__ is Fraction else Fraction(v.numerator, v.denominator)
    raise _bad(path, sort, v)


@functools.cache
def _members(cls: type[enum.Enum]) -> frozenset[enum.Enum]:
    """The members of an enum as Z3's enum sort declares them (a Flag's single flags, no combination)."""
    return frozenset(cls)


def convert(path: tuple[str, ...], sort: Sort, v: Any, bounds: Sequence[tuple[str, Any]] = ()) -> Any:
    """Check a value read for a precondition against its declared sort, domain and bounds; return it canonical.

    One definition for the fast path, the Z3 reference, plan pins and evidence, so they agree: ints are
    exact ints (a bool, a str "5" or a float 5.5 is not an int), strs exact strs, enums members (a raw
    value, as `use_enum_values` stores it, becomes its member), a set is a set, frozenset, list or
    tuple whose every element is converted the same way (a str or a dict is not a set). A value
    outside a `Literal`'s values or a declared bound (`Field(ge=0)`) is a `BadValue` too: lint and plan
    checks take those declarations as facts, so the run time makes them true.
    """
    if sort.kind == "set":
        if not isinstance(v, (set, frozenset, list, tuple)):
            raise _bad(path, sort, v)
        return frozenset([_scalar(path, sort.elem, x) for x in v])  # type: ignore[arg-type]
    v = _scalar(path, sort, v)
    for op, b in bounds:
        if not _BOUND_OPS[op](v, b):
            raise _bad(path, sort, v, f" (its declared bound is {op} {b!r})")
    return v


def _check_sort(path: tuple[str, ...], sort: Sort, v: Any) -> Any:
    """Compatibility name: `convert` without bounds."""
    return convert(path, sort, v)


def _enum_value(cls: type[enum.Enum], path: tuple[str, ...]) -> Callable[[Any], enum.Enum]:
    sort = Sort("enum", enum=cls)
    return lambda v: _scalar(path, sort, v)


def _converter(path: tuple[str, ...], sort: Sort, bounds: Sequence[tuple[str, Any]]) -> Callable[[Any], Any]:
    return lambda v: convert(path, sort, v, bounds)


def bounds_of(path: tuple[str, ...], schema: Schema | None, arg_bounds: Mapping[str, Any] | None) -> list:
    """The bounds declared for a variable path: the state schema's, or the tool argument's."""
    if path[0] == "state":
        return list((schema.bounds if schema is not None else {}).get(path[1:], ()))
    if path[0] == "arg":
        return list((arg_bounds or {}).get(path[1], ()))
    return []


_MIN_NORMAL = 2.0 ** -1022


def _fl(x: Any) -> float:
    """A leaf as a float for the filter; OverflowError (the exact fallback) when the conversion underflows."""
    f = float(x)
    if -_MIN_NORMAL < f < _MIN_NORMAL and x != 0 and f != x:
        raise OverflowError("underflow")
    return f


class _Gen:
    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"_F": Fraction, "_abs": abs, "_min": min, "_max": max, "_len": len,
                                   "_fs": frozenset, "_fl": _fl, "_rd": _read_any}
        self.names: dict[tuple[str, ...], str] = {}
        self.helpers: list[str] = []

    def bind(self, obj: Any) -> str:
        name = f"_k{len(self.ns)}"
        self.ns[name] = obj
        return name

    def filtered(self, t: Term) -> str:
        """A comparison over real arithmetic: decided in floats when the error bound allows, else exactly.

        Float evaluation of a tree with n roundings is within gamma_n * M of the exact value, where M
        is the tree evaluated on absolute values (Higham, Accuracy and Stability, ch. 3). That model
        holds only without underflow and overflow, so the helper falls back to Fractions when a
        product of non-zero factors lands below the smallest normal float (its error is then absolute
        and a later factor can magnify it), when the product's bound does (a sum that cancels to 0.0
        keeps an exact error the bound must carry), when a leaf is not exactly a float and converts to
        a tiny one, and on overflow (an inf or nan makes both tests below false). Sums and negations of
        floats are exact in the subnormal range. When the float difference of the two sides exceeds
        twice the bound (plus an allowance), its sign is the exact sign; otherwise it falls back too.
        """
        stmts: list[str] = []
        count = [1]  # the final subtraction
        tiny = repr(_MIN_NORMAL)
        exact = f"(_F({self.emit(t.args[0])}) {_CMP[t.op]} _F({self.emit(t.args[1])}))"

        def walk(x: Term) -> tuple[str, str]:
            k = count[0]
            count[0] += 1
            if _is_real_arith(x):
                if x.op == "neg":
                    f, m = walk(x.args[0])
                    stmts.append(f"f{k} = -{f}")
                    return f"f{k}", m
                (f1, m1), (f2, m2) = walk(x.args[0]), walk(x.args[1])
                stmts.append(f"f{k} = {f1} {_ARITH[x.op]} {f2}")
                if x.op == "mul":
                    stmts.append(f"m{k} = {m1} * {m2}")
                    # underflow of the value, or of its bound alone (a float 0.0 hiding an exact error)
                    stmts.append(f"if (-{tiny} < f{k} < {tiny} and {f1} and {f2}) or (m{k} < {tiny} and {m1} and {m2}): "
                                 f"return {exact}")
                else:
                    stmts.append(f"m{k} = {m1} + {m2}")
                return f"f{k}", f"m{k}"
            # a leaf: floats are exact; ints convert with a relative rounding; a Fraction may underflow
            stmts.append(f"x{k} = {self.emit(x)}")
            stmts.append(f"f{k} = x{k} if x{k}.__class__ is float else _fl(x{k})")
            stmts.append(f"m{k} = _abs(f{k})")
            return f"f{k}", f"m{k}"

        (fa, ma), (fb, mb) = walk(t.args[0]), walk(t.args[1])
        n = count[0]
        unit = 2.0 ** -53
        gamma = 2 * n * unit / (1 - n * unit)
        pos = {"eq": False, "ne": True, "lt": False, "le": False, "gt": True, "ge": True}[t.op]
        name = f"_r{len(self.helpers)}"
        params = sorted(set(self.names.values()))
        body = [f"def {name}({', '.join(params)}):", "    try:"]
        body += [f"        {line}" for line in stmts]
        body += [f"        d = {fa} - {fb}", f"        e = {gamma!r} * ({ma} + {mb}) + {n * 2.0 ** -1070!r}",
                 "    except OverflowError:", f"        return {exact}",
                 f"    if d > e: return {pos}", f"    if d < -e: return {not pos if t.op not in ('eq', 'ne') else pos}",
                 f"    return {exact}"]
        self.helpers.append("\n".join(body))
        return f"{name}({', '.join(params)})"

    def emit(self, t: Term) -> str:
        op, a = t.op, t.args
        if op == "const":
            if t.value.__class__ in (bool, str) or (t.value.__class__ is int and t.value.bit_length() <= _WRITABLE_BITS):
                return _lit(t.value)
            return self.bind(t.value)  # floats keep their exact binary value; enum members by identity
        if op == "var":
            return self.names[t.value]
        if op in _ARITH:
            x, y = self.emit(a[0]), self.emit(a[1])
            if t.sort.kind == "real":  # exact rational arithmetic, as in Z3
                return f"(_F({x}) {_ARITH[op]} _F({y}))"
            return f"({x} {_ARITH[op]} {y})"
        if op == "neg":
            return f"(-{self.emit(a[0])})"
        if op in _CMP:
            if any(_is_real_arith(x) for x in a):
                return self.filtered(t)
            return f"({self.emit(a[0])} {_CMP[op]} {self.emit(a[1])})"
        if op in ("and", "or"):
            return "(" + f" {op} ".join(self.emit(x) for x in a) + ")"
        if op == "not":
            return f"(not {self.emit(a[0])})"
        if op == "implies":
            return f"(not {self.emit(a[0])} or {self.emit(a[1])})"
        if op == "ite":
            return f"({self.emit(a[1])} if {self.emit(a[0])} else {self.emit(a[2])})"
        if op == "in":
            if all(e.op == "const" for e in a[1:]):
                return f"({self.emit(a[0])} in {self.bind(frozenset(e.value for e in a[1:]))})"
            x = self.emit(a[0])
            return "(" + " or ".join(f"{x} == {self.emit(e)}" for e in a[1:]) + ")"
        if op == "member":
            return f"({self.emit(a[0])} in {self.emit(a[1])})"
        if op in ("abs", "len"):
            return f"_{op}({self.emit(a[0])})"
        if op in ("min", "max"):
            return f"_{op}(" + ", ".join(self.emit(x) for x in a) + ")"
        if op in ("setadd", "setdel"):
            sign = "|" if op == "setadd" else "-"
            return f"(_fs({self.emit(a[0])}) {sign} _fs(({''.join(self.emit(e) + ', ' for e in a[1:])})))"
        raise AssertionError(f"unknown operator {op}")  # the parser produces no other


def _lit(v: Any) -> str:
    """The source of an exact int, bool or str: its repr, a literal Python reads back as the same value."""
    if v.__class__ not in (bool, int, str):
        raise AssertionError(f"only exact ints, bools and strs are written into generated code, not {v!r}")
    return repr(v)


def _safe_name(name: Any) -> str:
    """A tool name fit for a code object's file name and a function's name (never for the source)."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", str(name))[:80]


def _read_any(obj: Any, key: str) -> Any:
    """One level of `read_path` (the reference's reader): by `[...]` on a Mapping (a MappingProxyType,
    a custom Mapping), else by attribute. The generated code reads a plain dict itself."""
    return obj[key] if isinstance(obj, Mapping) else getattr(obj, key)


def _reader(schema: Schema | None, path: tuple[str, ...], mapping: bool) -> str:
    for key in path:
        if key.__class__ is not str or not key.isidentifier() or keyword.iskeyword(key):
            raise AssertionError(f"field name {key!r} is not an identifier")  # the parser admits none
    if mapping:  # a world given as mappings: each level read as the reference reads it, a dict inline
        expr = f"(w[{_lit(path[0])}] if w.__class__ is dict else _rd(w, {_lit(path[0])}))"
        for i, key in enumerate(path[1:]):
            t = f"_t{i}"
            expr = f"({t}[{_lit(key)}] if ({t} := {expr}).__class__ is dict else _rd({t}, {_lit(key)}))"
        return expr
    expr = "w"
    for i, key in enumerate(path):
        by_item = schema is not None and path[:i] in schema.item_access
        expr += f"[{_lit(key)}]" if by_item else f".{key}"
    return expr


def compile_check(
    terms: Sequence[Term], schema: Schema | None, *, mapping: bool = False, name: str = "check",
    arg_bounds: Mapping[str, Any] | None = None,
) -> Callable[[Mapping[str, Any], Any], bool]:
    """One function `(args, world) -> bool`: true when every term holds. Raises `BadValue` on bad input.

    `mapping=True` reads each state level as `read_path` does, with `[...]` where it is a Mapping and
    by attribute elsewhere (a world given as mappings, whatever the declared type); otherwise each
    level is read as the state type declares it (attributes for models and dataclasses).
    Every value read is checked as `convert` checks it (inline for the common exact case).
    """
    gen = _Gen()
    used: dict[tuple[str, ...], Sort] = {}
    for t in terms:
        leaves(t, used)
    lines = ["def check(a, w):"]  # a fixed name: the tool's name never enters the source
    for i, (path, sort) in enumerate(used.items()):
        v = gen.names[path] = f"v{i}"
        if path[0] != "state" and not (path[1].__class__ is str and path[1].isidentifier()):
            raise AssertionError(f"argument name {path[1]!r} is not an identifier")  # the parser admits none
        src = f"a[{_lit(path[1])}]" if path[0] != "state" else _reader(schema, path[1:], mapping)
        lines.append(f"    {v} = {src}")
        bounds = bounds_of(path, schema, arg_bounds)
        conv = gen.bind(_converter(path, sort, bounds))
        if sort.kind == "set":
            lines.append(f"    {v} = {conv}({v})")
            continue
        if sort.kind == "enum":
            ok = f"{v}.__class__ is {gen.bind(sort.enum)} and {v} in {gen.bind(_members(sort.enum))}"
        else:
            ok = {"int": f"{v}.__class__ is int", "bool": f"{v}.__class__ is bool",
                  "str": f"{v}.__class__ is str and {v}.isascii()",
                  "real": f"({v}.__class__ is float and {v} - {v} == 0.0 or {v}.__class__ in _EXACT)"}[sort.kind]
        if sort.domain is not None:
            ok += f" and {v} in {gen.bind(frozenset(sort.domain))}"
        for op, bound in bounds:
            ok += f" and {v} {_CMP[op]} {gen.bind(bound)}"
        lines.append(f"    if not ({ok}): {v} = {conv}({v})")
    lines.append("    return " + (" and ".join(gen.emit(t) for t in terms) if terms else "True"))
    lines = [*gen.helpers, *lines]
    gen.ns.update(_EXACT=(int, Fraction))
    code = compile("\n".join(lines), f"<vfa precondition {_safe_name(name)}>", "exec")
    exec(code, gen.ns)  # noqa: S102 - source generated from a validated term tree only (see module doc)
    fn = gen.ns["check"]
    fn.__name__ = fn.__qualname__ = _safe_name(name)
    return fn


def read_values(
    terms: Sequence[Term], args: Mapping[str, Any], world: Any, symbols: Mapping[str, Any] | None = None,
    bounds: Mapping[tuple[str, ...], Any] | None = None,
) -> dict[tuple[str, ...], Any]:
    """The concrete value of every variable the terms read, by path (the slow reader, for evidence).

    Values are checked and made canonical by `convert` (with `bounds`, by full path, when given)."""
    env: dict[tuple[str, ...], Any] = {}
    for t in terms:
        for path, sort in leaves(t).items():
            try:
                if path[0] == "state":
                    v = read_path(world, path[1:])
                elif path[0] == "sym":
                    v = (symbols or {})[path[1]]
                else:
                    v = args[path[1]]
            except (KeyError, AttributeError, TypeError, IndexError):
                raise BadValue(f"{display(path)} is missing") from None
            env[path] = convert(path, sort, v, (bounds or {}).get(path, ()))
    return env


def evaluate(t: Term, env: Mapping[tuple[str, ...], Any]) -> Any:
    """Interpret a term over concrete values (used for explanations; same semantics as the compiled check)."""
    op, a = t.op, t.args
    if op == "const":
        return t.value
    if op == "var":
        return env[t.value]
    if op in _ARITH:
        x, y = evaluate(a[0], env), evaluate(a[1], env)
        if t.sort.kind == "real":
            x, y = Fraction(x), Fraction(y)
        return x + y if op == "add" else x - y if op == "sub" else x * y
    if op == "neg":
        return -evaluate(a[0], env)
    if op in _CMP:
        x, y = evaluate(a[0], env), evaluate(a[1], env)
        return _OPS[op](x, y)
    if op == "and":
        return all(evaluate(x, env) for x in a)
    if op == "or":
        return any(evaluate(x, env) for x in a)
    if op == "not":
        return not evaluate(a[0], env)
    if op == "implies":
        return (not evaluate(a[0], env)) or evaluate(a[1], env)
    if op == "ite":
        return evaluate(a[1], env) if evaluate(a[0], env) else evaluate(a[2], env)
    if op == "in":
        x = evaluate(a[0], env)
        return any(x == evaluate(e, env) for e in a[1:])
    if op == "member":
        return evaluate(a[0], env) in evaluate(a[1], env)
    if op in ("abs", "len"):
        return (abs if op == "abs" else len)(evaluate(a[0], env))
    if op in ("min", "max"):
        return (min if op == "min" else max)(evaluate(x, env) for x in a)
    if op in ("setadd", "setdel"):
        base, elems = frozenset(evaluate(a[0], env)), frozenset(evaluate(e, env) for e in a[1:])
        return base | elems if op == "setadd" else base - elems
    raise AssertionError(f"unknown operator {op}")


_WRITABLE_BITS = 13_000  # well inside the 4,300 digits Python writes by default


def jsonable(v: Any) -> Any:
    """A value as it goes into evidence: enums by value, sets as sorted lists, exact reals as floats."""
    if isinstance(v, enum.Enum):
        return jsonable(v.value)
    if isinstance(v, (set, frozenset, list, tuple)):
        return sorted((jsonable(x) for x in v), key=repr)
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return _shown_int(int(v))
        try:
            return float(v)
        except OverflowError:  # beyond a float's range: its whole part says all a reader needs
            return _shown_int(round(v))
    if isinstance(v, int) and not isinstance(v, bool):
        return _shown_int(v)
    return v


def _shown_int(n: int) -> Any:
    """An integer as evidence holds it: as it is, or, where Python would refuse to write it out
    (`sys.get_int_max_str_digits`), its sign and size."""
    if n.bit_length() <= _WRITABLE_BITS:
        return n
    return f"{'-' if n < 0 else ''}<an integer of about {int(n.bit_length() * 0.30103) + 1} digits>"


def _show(t: Term, env: Mapping[tuple[str, ...], Any]) -> str:
    v = jsonable(evaluate(t, env))
    return f"{t.text} is {v!r}" if t.op != "const" else repr(v)


_NEGATED = {"eq": "differs from", "ne": "equals", "lt": "is not less than", "le": "is greater than",
            "gt": "is not greater than", "ge": "is less than"}


def explain(t: Term, env: Mapping[tuple[str, ...], Any]) -> str:
    """Say in words why a false clause is false, naming the sub-clause and the values that decide it."""
    op, a = t.op, t.args
    if op in _CMP:
        x, y = _said(evaluate(a[0], env)), _said(evaluate(a[1], env))
        return f"`{t.text}` does not hold: {x} {_NEGATED[op]} {y} ({_values(t, env)})"
    if op == "and":
        return "; ".join(explain(x, env) for x in a if not evaluate(x, env))
    if op == "or":
        return "none of the alternatives holds: " + "; ".join(explain(x, env) for x in a)
    if op == "implies":
        return f"`{a[0].text}` holds but {explain(a[1], env)}"
    if op == "not":
        return f"`{a[0].text}` holds, which `{t.text}` forbids ({_values(t, env)})"
    if op in ("in", "member"):
        where = a[1].text if op == "member" else "{" + ", ".join(e.text for e in a[1:]) + "}"
        return f"`{t.text}` does not hold: {jsonable(evaluate(a[0], env))!r} is not in {where} ({_values(t, env)})"
    return f"`{t.text}` is false ({_values(t, env)})"


def _said(v: Any) -> str:
    """A value as the words of a denial write it: as evidence holds it, but a rational no float is, in
    decimals to 30 significant digits ("…" where it goes on): an exact 0.2 + 0.05 is more than 0.25, and
    "0.25 is greater than 0.25" says nothing."""
    if isinstance(v, Fraction) and v.denominator != 1 and v.numerator.bit_length() <= _WRITABLE_BITS \
            and v.denominator.bit_length() <= _WRITABLE_BITS:  # else written as evidence writes it
        try:
            exact = Fraction(float(v)) == v
        except OverflowError:
            exact = False
        if not exact:
            return _decimal(v)
    return repr(jsonable(v))


def _decimal(v: Fraction) -> str:
    with decimal.localcontext(prec=30) as ctx:
        ctx.traps[decimal.Inexact] = False
        d = decimal.Decimal(v.numerator) / decimal.Decimal(v.denominator)
        cut = ctx.flags[decimal.Inexact]
    # plain notation only where it writes no digit but the rounded ones (a positive exponent pads with zeros)
    plain = -40 < d.adjusted() and d.as_tuple().exponent <= 0
    return (f"{d:f}" if plain else f"{d}") + ("…" if cut else "")


def _values(t: Term, env: Mapping[tuple[str, ...], Any]) -> str:
    return ", ".join(f"{display(p)}={_said(env[p])}" for p in leaves(t)) or "no variables"
