"""Precondition syntax: Python expression strings parsed with `ast` into a typed term tree, never eval'd.

A clause such as ``"0 < amount <= state.balance"`` is parsed once, checked against the tool's
argument sorts and the state schema, and becomes a `Term`. Every later step (the fast evaluator,
the Z3 translation, explanations) works on terms only, so what the fast path computes and what Z3
proves come from one parse. Anything outside the grammar is a `PolicyError` naming the clause:

    clause  := expr with  and / or / not,  implies(a, b),  a if c else b
    compare := chained  == != < <= > >=,  x in {literal set},  x in state.some_set,  not in
    arith   := + - *  and unary -,  abs(x), min(a, b, ...), max(a, b, ...), len(string)
    atom    := int, float, bool or str literal, an argument name, state.field.subfield

nested at most 64 levels deep; a str literal holds characters up to U+2FFFF (Z3's).
"""

from __future__ import annotations

import ast
import enum
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vfa import PolicyError

from ._sorts import BOOL, INT, REAL, Schema, Sort

__all__ = ["Scope", "Term", "Update", "parse_clause", "parse_postcondition", "leaves", "display"]

_FUNCTIONS = ("implies", "abs", "min", "max", "len")
_MAX_CHAR = "\U0002ffff"  # Z3's largest character (its unicode encoding has 18 bits)
_MAX_DEPTH = 64  # nesting a clause may have: the code compiled from it must stay within Python's parser limits
_CMP = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
_ARITH = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul"}
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # lines as `ast` counts them (not split at \f)


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class Term:
    """A node of a parsed clause: an operator, its typed operands, and the source text it came from.

    Leaves are `const` (value: the Python value) and `var` (value: a path such as ("arg", "amount"),
    ("state", "account", "balance") or ("sym", "x") for a plan's symbolic value).
    """

    op: str
    sort: Sort
    args: tuple[Term, ...] = ()
    value: Any = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Update:
    """A postcondition that assigns a state field: `state.balance -= amount` becomes path + new value."""

    path: tuple[str, ...]
    term: Term
    text: str


# terms compare by identity and live as long as their precondition: a weak map keeps the cache small
_LEAVES: weakref.WeakKeyDictionary[Term, dict[tuple[str, ...], Sort]] = weakref.WeakKeyDictionary()


def display(path: tuple[str, ...]) -> str:
    """How a variable path is written in clauses: `amount`, `state.account.balance`, `x`."""
    return ".".join(path) if path[0] == "state" else path[-1]


def leaves(term: Term, out: dict[tuple[str, ...], Sort] | None = None) -> dict[tuple[str, ...], Sort]:
    """The variables a term reads, in order of first appearance (cached per term; do not mutate)."""
    if out is None:
        cached = _LEAVES.get(term)
        if cached is None:
            cached = _LEAVES[term] = leaves(term, {})
        return cached
    if term.op == "var":
        out.setdefault(term.value, term.sort)
    for a in term.args:
        leaves(a, out)
    return out


class Scope:
    """The names a clause may use: the tool's arguments (or a plan's symbols) and the state schema."""

    def __init__(self, where: str, names: dict[str, Sort], schema: Schema | None, kind: str = "arg",
                 unsupported: Mapping[str, str] | None = None) -> None:
        self.where = where
        self.names = names
        self.schema = schema
        self.kind = kind
        self.unsupported = dict(unsupported or {})
        """Names the tool takes that a clause cannot use, each with why (its type)."""


class _Parser:
    def __init__(self, source: str, scope: Scope) -> None:
        self.source = source
        self.scope = scope
        # split and encoded once (a node's offsets count UTF-8 bytes): `ast.get_source_segment` does both
        # over the whole source for each node, quadratic in a long clause (an allow-list of 4,000 addresses)
        self._lines = [line.encode() for line in _LINES.findall(source)]

    def fail(self, node: ast.AST | None, problem: str) -> PolicyError:
        at = f" at `{self.segment(node)}`" if node is not None and hasattr(node, "lineno") else ""
        return PolicyError(f"{self.scope.where}: precondition `{self.source}`{at}: {problem}", clauses=(self.source,))

    def text(self, node: ast.AST) -> str:
        return self.segment(node) or self.source

    def segment(self, node: ast.AST) -> str | None:
        """The source text of `node`, as `ast.get_source_segment` reads it."""
        first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if first is None or last is None or start is None or end is None:
            return None
        lines = self._lines
        if first == last:
            return lines[first - 1][start:end].decode()
        return (lines[first - 1][start:] + b"".join(lines[first:last - 1]) + lines[last - 1][:end]).decode()

    def expr(self, node: ast.AST) -> Term:
        text = self.text(node)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return Term(op, BOOL, tuple(self.boolean(v) for v in node.values), text=text)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return Term("not", BOOL, (self.boolean(node.operand),), text=text)
            inner = self.numeric(node.operand)
            if isinstance(node.op, ast.UAdd):
                return inner
            if isinstance(node.op, ast.USub):
                if inner.op == "const":
                    return Term("const", inner.sort, value=-inner.value, text=text)
                return Term("neg", inner.sort, (inner,), text=text)
            raise self.fail(node, "operator ~ is not supported")
        if isinstance(node, ast.BinOp):
            kind = _ARITH.get(type(node.op))
            if kind is None:
                raise self.fail(node, f"operator {type(node.op).__name__} is not supported: use + - * only")
            a, b = self.numeric(node.left), self.numeric(node.right)
            return Term(kind, _join(a.sort, b.sort), (a, b), text=text)
        if isinstance(node, ast.Compare):
            return self.compare(node, text)
        if isinstance(node, ast.IfExp):
            cond, a, b = self.boolean(node.test), self.expr(node.body), self.expr(node.orelse)
            a, b = _unify(a, b, lambda m: self.fail(node, m))
            sort = _join(a.sort, b.sort) if a.sort.numeric and b.sort.numeric else a.sort
            return Term("ite", sort, (cond, a, b), text=text)
        if isinstance(node, ast.Call):
            return self.call(node, text)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return Term("const", BOOL, value=v, text=text)
            if isinstance(v, int):
                return Term("const", INT, value=v, text=text)
            if isinstance(v, float):
                if v != v or v in (float("inf"), float("-inf")):
                    raise self.fail(node, "only finite numbers are allowed")
                return Term("const", REAL, value=v, text=text)
            if isinstance(v, str):
                if not v.isascii() and max(v) > _MAX_CHAR:  # Z3 could not translate it, nor the lint read it
                    raise self.fail(node, "a str literal may hold characters up to U+2FFFF only (Z3's)")
                return Term("const", Sort("str"), value=v, text=text)
            raise self.fail(node, f"the literal {v!r} is not supported")
        if isinstance(node, ast.Name):
            if node.id == "state":
                raise self.fail(node, "name a field of the state, e.g. `state.balance`")
            if node.id in self.scope.names:
                return Term("var", self.scope.names[node.id], value=(self.scope.kind, node.id), text=text)
            if node.id in self.scope.unsupported:  # the tool's own argument, of a type no clause can use
                raise self.fail(node, self.scope.unsupported[node.id])
            known = ", ".join(sorted(self.scope.names)) or "none"
            raise self.fail(node, f"unknown name `{node.id}` (known names: {known}; state fields: state.<field>)")
        if isinstance(node, ast.Attribute):
            return self.field(node, text)
        what = {ast.Subscript: "subscripts", ast.Lambda: "lambdas", ast.NamedExpr: "assignments"}.get(type(node))
        raise self.fail(node, f"{what or type(node).__name__ + ' expressions'} are not allowed in a precondition")

    def field(self, node: ast.Attribute, text: str) -> Term:
        parts: list[str] = []
        cur: ast.AST = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if not (isinstance(cur, ast.Name) and cur.id == "state"):
            raise self.fail(node, "attribute access is allowed only on the state, as in `state.balance`")
        path = tuple(reversed(parts))
        schema = self.scope.schema
        if schema is None or schema.root is None:
            raise self.fail(node, "this policy declares no state type: pass state=YourWorldModel")
        if path in schema.leaves:
            return Term("var", schema.leaves[path], value=("state", *path), text=text)
        for i in range(1, len(path) + 1):
            if path[:i] in schema.unsupported:  # a field of a type no clause reads (Optional[Model], a dict)
                raise self.fail(node, schema.unsupported[path[:i]])
            if path[:i] not in schema.records and path[:i] not in schema.leaves:
                known = ", ".join(schema.field_names(path[: i - 1])) or "none"
                prefix = ".".join(("state",) + path[: i - 1])
                raise self.fail(node, f"`{prefix}` has no field `{path[i - 1]}` (its fields: {known})")
        raise self.fail(node, f"`{text}` is a record, not a value: name one of its fields")

    def boolean(self, node: ast.AST) -> Term:
        t = self.expr(node)
        if t.sort.kind != "bool":
            raise self.fail(node, f"expected a condition, got a value of sort {t.sort}")
        return t

    def numeric(self, node: ast.AST) -> Term:
        t = self.expr(node)
        if not t.sort.numeric:
            raise self.fail(node, f"arithmetic needs numbers, got sort {t.sort}")
        return t

    def compare(self, node: ast.Compare, text: str) -> Term:
        parts: list[Term] = []
        left_node, left = node.left, self.expr(node.left)
        for op, right_node in zip(node.ops, node.comparators):
            if left is None:
                raise self.fail(node, "a membership test cannot be chained; use `and`")
            seg = f"{self.text(left_node)} {_OPTEXT[type(op)]} {self.text(right_node)}"
            if isinstance(op, (ast.In, ast.NotIn)):
                # the membership itself is `x in S`: a failed `x not in S` is explained as that one holding
                pos = f"{self.text(left_node)} in {self.text(right_node)}"
                right = self.member(left, right_node, pos, node, isinstance(op, ast.NotIn), seg)
                right_term = None
            else:
                right = self.expr(right_node)
                l2, r2 = _unify(left, right, lambda m: self.fail(node, m))
                kind = _CMP[type(op)]
                if kind not in ("eq", "ne") and not (l2.sort.numeric and r2.sort.numeric):
                    raise self.fail(node, f"`{seg}` orders values of sort {l2.sort}; only numbers are ordered")
                right_term = r2
                right = Term(kind, BOOL, (l2, r2), text=seg)
            parts.append(right)
            left_node = right_node
            left = right_term  # None after `in`: a membership test ends a chain
        return parts[0] if len(parts) == 1 else Term("and", BOOL, tuple(parts), text=text)

    def member(self, left: Term, right_node: ast.AST, pos: str, node: ast.AST, negate: bool, seg: str) -> Term:
        if isinstance(right_node, (ast.Set, ast.Tuple, ast.List)):
            elems = tuple(_unify(left, self.expr(e), lambda m: self.fail(node, m))[1] for e in right_node.elts)
            t = Term("in", BOOL, (left, *elems), text=pos)
        else:
            coll = self.expr(right_node)
            if coll.sort.kind != "set":
                raise self.fail(node, f"`{self.text(right_node)}` is not a set")
            if left.op == "const" and coll.sort.elem.kind == "enum":  # type: ignore[union-attr]
                left = _coerce_enum(left, coll.sort.elem, lambda m: self.fail(node, m))  # type: ignore[arg-type]
            if not left.sort.same(coll.sort.elem):  # type: ignore[arg-type]
                raise self.fail(node, f"`{seg}` tests a {left.sort} for membership in a {coll.sort}")
            t = Term("member", BOOL, (left, coll), text=pos)
        return Term("not", BOOL, (t,), text=seg) if negate else t

    def call(self, node: ast.Call, text: str) -> Term:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in _FUNCTIONS or node.keywords:
            raise self.fail(node, f"calls are not allowed, except {', '.join(_FUNCTIONS)}")
        args = [self.expr(a) for a in node.args]
        arity = {"implies": 2, "abs": 1, "len": 1}.get(name)
        if (arity and len(args) != arity) or (not arity and len(args) < 2):
            raise self.fail(node, f"{name}() takes {arity or 'two or more'} arguments")
        if name == "implies":
            if any(a.sort.kind != "bool" for a in args):
                raise self.fail(node, "implies() takes two conditions")
            return Term("implies", BOOL, tuple(args), text=text)
        if name == "len":
            if args[0].sort.kind != "str":
                raise self.fail(node, "len() applies to strings only")
            return Term("len", INT, tuple(args), text=text)
        if any(not a.sort.numeric for a in args):
            raise self.fail(node, f"{name}() takes numbers")
        sort = INT if all(a.sort.kind == "int" for a in args) else REAL
        return Term(name, sort, tuple(args), text=text)


_OPTEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
           ast.In: "in", ast.NotIn: "not in"}


def _join(a: Sort, b: Sort) -> Sort:
    return INT if a.kind == "int" and b.kind == "int" else REAL


def _coerce_enum(t: Term, sort: Sort, fail: Any) -> Term:
    """A str literal compared with an enum field names a member, by value, else by name."""
    cls: type[enum.Enum] = sort.enum  # type: ignore[assignment]
    # by value first, as `convert` reads a raw value (the model's argument, `use_enum_values`)
    found = [m for m in cls if m.value == t.value] or [m for m in cls if m.name == t.value]
    if found:
        return Term("const", sort, value=found[0], text=t.text)
    names = ", ".join(repr(m.value) for m in cls)
    raise fail(f"{t.value!r} is not a member of {cls.__name__} ({names})")


def _as_elem(t: Term, sort: Sort, fail: Any) -> Term:
    """A str literal given where an enum member goes (an update's new value, a set's element) as that member, in
    either branch of a conditional too (`'SHIPPED' if state.paid else 'HELD'`)."""
    if sort.kind == "enum" and t.op == "const" and isinstance(t.value, str):
        return _coerce_enum(t, sort, fail)
    if sort.kind == "enum" and t.op == "ite" and t.sort.kind == "str":
        cond, a, b = t.args
        a, b = _as_elem(a, sort, fail), _as_elem(b, sort, fail)
        if a.sort.same(sort) and b.sort.same(sort):  # else a str branch (a field) stays: the sort check refuses it
            return Term("ite", sort, (cond, a, b), text=t.text)
    return t


def _unify(a: Term, b: Term, fail: Any) -> tuple[Term, Term]:
    """Make two operands comparable: numbers mix; a str literal meets an enum as one of its members."""
    if a.sort.kind == "enum" and b.op == "const" and isinstance(b.value, str):
        b = _coerce_enum(b, a.sort, fail)
    elif b.sort.kind == "enum" and a.op == "const" and isinstance(a.value, str):
        a = _coerce_enum(a, b.sort, fail)
    if (a.sort.numeric and b.sort.numeric) or a.sort.same(b.sort):
        return a, b
    raise fail(f"cannot compare `{a.text}` ({a.sort}) with `{b.text}` ({b.sort})")


def _parse(source: Any, scope: Scope, mode: str) -> ast.AST:
    if not isinstance(source, str) or not source.strip():
        raise PolicyError(f"{scope.where}: a precondition must be a non-empty string, got {source!r}",
                          clauses=(str(source),))
    nested = PolicyError(f"{scope.where}: precondition `{source}` is nested too deeply (over {_MAX_DEPTH} levels)",
                         clauses=(source,))
    try:
        tree = ast.parse(source.strip(), mode=mode)
    except SyntaxError as exc:
        raise PolicyError(f"{scope.where}: precondition `{source}` is not valid syntax: {exc.msg}",
                          clauses=(source,)) from None
    except (RecursionError, MemoryError):  # how Python's parser meets a clause nested thousands deep
        raise nested from None
    except UnicodeEncodeError:  # a lone surrogate (bytes that are not UTF-8, decoded): no text the parser reads
        raise PolicyError(f"{scope.where}: precondition {source!r:.200} is not valid text (it holds a lone surrogate)",
                          clauses=(source,)) from None
    stack = [(tree, 0)]  # depth without recursion: the parser below recurses once per level
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise nested
        stack.extend((c, depth + 1) for c in ast.iter_child_nodes(node) if not isinstance(c, ast.expr_context))
    return tree


def parse_clause(source: str, scope: Scope) -> Term:
    """Parse and type-check one clause; raises `PolicyError` naming the clause when it is malformed."""
    tree = _parse(source, scope, "eval")
    return _Parser(source.strip(), scope).boolean(tree.body)  # type: ignore[attr-defined]


def parse_postcondition(source: str, scope: Scope) -> Update | Term:
    """Parse a postcondition: an assignment to a state field (`state.balance -= amount`) or a clause."""
    tree = _parse(source, scope, "exec")
    src = source.strip()
    p = _Parser(src, scope)
    body = tree.body  # type: ignore[attr-defined]
    if len(body) != 1:
        raise p.fail(None, "write one postcondition per string")
    stmt = body[0]
    if isinstance(stmt, ast.Expr):
        return p.boolean(stmt.value)
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = p.expr(stmt.targets[0]), p.expr(stmt.value)
        if target.sort.kind == "enum":  # a str literal names a member, as in a clause (`state.status == 'SHIPPED'`)
            value = _as_elem(value, target.sort, lambda m: p.fail(stmt, m))
    elif isinstance(stmt, ast.AugAssign):
        target = p.expr(stmt.target)
        if target.sort.kind == "set":
            if not isinstance(stmt.value, (ast.Set, ast.Tuple, ast.List)) or not isinstance(
                stmt.op, (ast.BitOr, ast.Sub)
            ):
                raise p.fail(stmt, "update a set with `|= {x, ...}` (add) or `-= {x, ...}` (remove)")
            elems = tuple(_as_elem(p.expr(e), target.sort.elem, lambda m: p.fail(stmt, m))  # type: ignore[arg-type]
                          for e in stmt.value.elts)
            if any(not e.sort.same(target.sort.elem) for e in elems):  # type: ignore[arg-type]
                raise p.fail(stmt, f"elements must be of sort {target.sort.elem}")
            op = "setadd" if isinstance(stmt.op, ast.BitOr) else "setdel"
            value = Term(op, target.sort, (target, *elems), text=src)
        else:
            kind = _ARITH.get(type(stmt.op))
            if kind is None or not target.sort.numeric:
                raise p.fail(stmt, "only += -= *= on numbers (or |= -= on sets) are supported")
            rhs = p.numeric(stmt.value)
            value = Term(kind, _join(target.sort, rhs.sort), (target, rhs), text=src)
    else:
        raise p.fail(stmt, "a postcondition is `state.field = expr`, `state.field += expr` or a condition")
    if target.op != "var" or target.value[0] != "state":
        raise p.fail(stmt, "only state fields can be assigned")
    if target.sort.kind == "int" and value.sort.kind == "real":
        raise p.fail(stmt, f"`{target.text}` is an int; the new value would be real")
    if not (value.sort.same(target.sort) or (target.sort.numeric and value.sort.numeric)):
        raise p.fail(stmt, f"`{target.text}` is of sort {target.sort}, the new value of sort {value.sort}")
    return Update(target.value, value, src)
