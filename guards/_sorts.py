"""Sorts and schemas: the types a precondition may talk about, read from pydantic models and dataclasses.

A precondition speaks about a tool's arguments and the agent's world state. Both come from Python
type annotations; this module turns them into *sorts* (int, real, bool, str, enum, a finite set of
one of those) and *schemas* (the tree of named fields under `state`). Pure Python: no z3 here.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from collections import abc
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from vfa import ConfigError, PolicyError

__all__ = ["Schema", "Sort", "sort_of", "schema_of"]

_SCALARS = ("int", "real", "bool", "str", "enum")


@dataclass(frozen=True, slots=True)
class Sort:
    """The type of a term: a scalar kind, an enum class, or a finite set of scalars."""

    kind: Literal["int", "real", "bool", "str", "enum", "set"]
    enum: type[enum.Enum] | None = None
    elem: Sort | None = None
    """Element sort of a set."""
    domain: tuple[Any, ...] | None = None
    """The allowed values of a `Literal[...]` field; the field may take no other."""

    @property
    def numeric(self) -> bool:
        """True for int and real: the sorts arithmetic and ordering apply to."""
        return self.kind in ("int", "real")

    def same(self, other: Sort) -> bool:
        """Equal up to domain: a `Literal["a", "b"]` str compares with any str."""
        return self.kind == other.kind and self.enum is other.enum and (
            self.elem is None or other.elem is None or self.elem.same(other.elem)
        )

    def __str__(self) -> str:
        if self.kind == "enum":
            return self.enum.__name__  # type: ignore[union-attr]
        if self.kind == "set":
            return f"set[{self.elem}]"
        return self.kind


INT, REAL, BOOL, STR = Sort("int"), Sort("real"), Sort("bool"), Sort("str")


def sort_of(annotation: Any, where: str) -> Sort:
    """The sort of a Python annotation; raises `PolicyError` naming `where` for what is unsupported."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return sort_of(typing.get_args(annotation)[0], where)
    if annotation is bool:
        return BOOL
    if annotation is int:
        return INT
    if annotation is float:
        return REAL
    if annotation is str:
        return STR
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Sort("enum", enum=annotation)
    if origin is Literal:
        values = typing.get_args(annotation)
        kinds = {type(v) for v in values}
        if kinds <= {str}:
            if any(c > "\U0002ffff" for v in values for c in v):  # Z3's strings hold characters up to U+2FFFF
                raise PolicyError(f"{where} has type {annotation!r}, whose values hold a character beyond U+2FFFF, "
                                  "which preconditions cannot reason about", clauses=())
            return Sort("str", domain=values)
        if kinds <= {int}:
            return Sort("int", domain=values)
    if origin in (set, frozenset, list, tuple, abc.Set, abc.Sequence):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        if len(args) == 1:
            elem = sort_of(args[0], where)
            if elem.kind in _SCALARS:
                return Sort("set", elem=elem)
    raise PolicyError(
        f"{where} has type {annotation!r}, which preconditions cannot reason about; use int, float, bool, "
        f"str, an Enum, a Literal, or a set/list of those",
        clauses=(),
    )


def _fields(tp: Any) -> dict[str, Any] | None:
    """Field annotations of a pydantic model, dataclass or TypedDict; None for anything else."""
    if isinstance(tp, type) and hasattr(tp, "model_fields"):
        hints = typing.get_type_hints(tp, include_extras=True)
        return {name: hints.get(name, f.annotation) for name, f in tp.model_fields.items()}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp, include_extras=True)
        return {f.name: hints.get(f.name, f.type) for f in dataclasses.fields(tp)}
    if isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__annotations__"):
        return dict(typing.get_type_hints(tp, include_extras=True))  # a TypedDict
    return None


def _bounds(tp: Any, field: str) -> list[tuple[str, Any]]:
    """Numeric bounds a pydantic field declares (`Field(ge=0)`, `PositiveInt`): ("ge", 0), ..."""
    meta: list[Any] = []
    info = getattr(tp, "model_fields", {}).get(field)
    if info is not None:
        meta.extend(info.metadata)
    out = []
    for m in meta:
        for op in ("gt", "ge", "lt", "le"):
            v = getattr(m, op, None)
            if isinstance(v, Decimal):  # as money is written: exactly (an infinity or NaN as its float)
                v = Fraction(v) if v.is_finite() else float(v)
            if isinstance(v, (int, float, Fraction)) and not isinstance(v, bool):
                out.append((op, v))
    return out


class Schema:
    """The fields of a state type, flattened to leaf paths, with how to read each level at run time.

    `leaves` maps a path such as ("account", "balance") to its sort; `records` holds the inner
    paths ("account",); `item_access` holds the inner paths read with `[...]` (TypedDicts).
    """

    __slots__ = ("root", "leaves", "records", "item_access", "bounds", "unsupported")

    def __init__(self, root: Any) -> None:
        self.root = root
        self.leaves: dict[tuple[str, ...], Sort] = {}
        self.records: set[tuple[str, ...]] = {()}
        self.item_access: set[tuple[str, ...]] = set()
        self.bounds: dict[tuple[str, ...], list[tuple[str, Any]]] = {}
        self.unsupported: dict[tuple[str, ...], str] = {}
        if root is not None:
            self._walk(root, (), ())

    def _walk(self, tp: Any, prefix: tuple[str, ...], within: tuple[Any, ...]) -> None:
        fields = _fields(tp)
        if fields is None:
            raise ConfigError(f"state type {tp!r} must be a pydantic model, a dataclass or a TypedDict")
        if isinstance(tp, type) and issubclass(tp, dict):
            self.item_access.add(prefix)
        within = (*within, tp)
        for name, ann in fields.items():
            path = prefix + (name,)
            inner = typing.get_args(ann)[0] if typing.get_origin(ann) is typing.Annotated else ann
            if any(inner is t for t in within):  # a tree (a TypedDict's optional child): its fields never end
                self.unsupported[path] = (f"state.{'.'.join(path)} has type {getattr(inner, '__name__', inner)!r}, "
                                          "which holds itself (a recursive type): preconditions cannot reason about it")
            elif _fields(inner) is not None:
                self.records.add(path)
                self._walk(inner, path, within)
            else:
                try:
                    self.leaves[path] = sort_of(ann, "state." + ".".join(path))
                except PolicyError as exc:  # fine until a clause mentions it
                    self.unsupported[path] = str(exc)
                    continue
                if b := _bounds(tp, name):
                    self.bounds[path] = b

    def field_names(self, prefix: tuple[str, ...] = ()) -> list[str]:
        """Names of the fields directly under `prefix`, for error messages."""
        n = len(prefix)
        return sorted({p[n] for p in [*self.leaves, *self.records] if len(p) > n and p[:n] == prefix})


def schema_of(state: Any) -> Schema:
    """The schema of a state type (None: a policy that never mentions `state`)."""
    return state if isinstance(state, Schema) else Schema(state)


class ArgSorts(dict):
    """The sort of each argument a precondition can use, by name; `unsupported` says, for each argument of
    another type, why it has none (its type), so a clause naming it is told that rather than "unknown name"."""

    def __init__(self) -> None:
        super().__init__()
        self.unsupported: dict[str, str] = {}


def arg_sorts(args_model: Any, tool: str) -> tuple[ArgSorts, dict[str, list[tuple[str, Any]]]]:
    """Sorts and declared bounds of a tool's arguments, from its pydantic arguments model."""
    sorts = ArgSorts()
    bounds: dict[str, list[tuple[str, Any]]] = {}
    for name, info in args_model.model_fields.items():
        ann = info.annotation
        if info.metadata:
            ann = typing.Annotated[(ann, *info.metadata)]
        try:
            sorts[name] = sort_of(ann, f"argument {name!r} of {tool}")
        except PolicyError as exc:
            sorts.unsupported[name] = str(exc)  # fine as long as no precondition mentions it
            continue
        if b := _bounds(args_model, name):
            bounds[name] = b
    return sorts, bounds


def read_path(obj: Any, path: tuple[str, ...]) -> Any:
    """Read a nested field from models, dataclasses or dicts alike (the slow, generic reader)."""
    for key in path:
        obj = obj[key] if isinstance(obj, Mapping) else getattr(obj, key)
    return obj
