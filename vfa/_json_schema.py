"""JSON schemas (an MCP tool's arguments) as pydantic models: fields by type, which the guards read the call
by, and every call checked by the schema itself (`jsonschema`) for all those types do not say: `$ref`,
`anyOf`/`oneOf`/`allOf`, `const`, bounds, lengths, patterns, `patternProperties` and the rest."""

from __future__ import annotations

import copy
import functools
import json
import re
import time
import typing
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import jsonschema
import regex
from jsonschema.exceptions import SchemaError, best_match
from jsonschema.validators import extend, validator_for
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError, WrapValidator,
                      create_model, model_validator)
from pydantic_core import SchemaError as CoreSchemaError
from pydantic_core import SchemaValidator, core_schema

from ._exceptions import ConfigError

__all__ = ["MAX_SCHEMA_DEPTH", "model_of_json_schema"]


def model_of_json_schema(tool: str, schema: Mapping[str, Any]) -> type[BaseModel]:
    """The model a JSON-schema tool's call is validated by: its properties as fields by type (`_model_of_json_schema`),
    each checked as the schema says of it, and the call as a whole checked by the schema too (what it says
    of the object itself: `required`, `anyOf` at its top, properties it names by pattern). Raises
    `ConfigError` for a schema that is not one (`"type": "int"`, `"required": true`): no call could be checked by it."""
    checker = _checker(tool, schema)
    return _model_of_json_schema(f"{tool}_args", schema, checker=checker)


def _checker(tool: str, schema: Mapping[str, Any]) -> Any:
    """The `jsonschema` validator of `schema`, by the draft its `$schema` names (2020-12 if none, or draft 4 where
    only draft 4 reads it: OpenAPI 3.0's `exclusiveMinimum: true`), with OpenAPI's `nullable` read as a server
    built on it reads it (null allowed), after checking it against its metaschema."""
    base = validator_for(schema, default=jsonschema.Draft202012Validator)
    # one that holds itself (a dereferenced `$ref`) or shares its parts over and over is read as it is: the
    # metaschema's check walks every path of it, without end or for hours; a call it cannot check is refused
    if _size(schema, {}, set()) <= MAX_CHECKED_SCHEMA:
        try:
            base.check_schema(schema, format_checker=_formats(base))
        except SchemaError as exc:
            if "$schema" in schema or not _reads(jsonschema.Draft4Validator, schema):
                where = "/".join(map(str, exc.path))
                raise ConfigError(f"tool {tool!r}: its JSON schema is not valid{f' at {where!r:.80}' if where else ''}: "
                                  f"{exc.message[:200]}") from None
            base = jsonschema.Draft4Validator
    return _as_read(base, _unevaluated_by_pattern(schema))(schema)


def _unevaluated_by_pattern(schema: Any) -> bool:
    """Whether `schema` holds both `unevaluatedProperties` and `patternProperties` (anywhere: a `$ref` may join
    them): `jsonschema` then searches the patterns with Python's `re` itself, out of `_searcher`'s reach."""
    found: set[str] = set()
    seen: set[int] = set()
    todo = [schema]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Mapping):
            found.update(k for k in ("unevaluatedProperties", "patternProperties") if k in node)
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return len(found) == 2


def _reads(draft: Any, schema: Mapping[str, Any]) -> bool:
    """Whether `schema` is one by `draft`'s metaschema."""
    try:
        draft.check_schema(schema, format_checker=_formats(draft))
    except SchemaError:
        return False
    return True


MAX_CHECKED_SCHEMA = 10_000
"""The most values a JSON schema may hold, counted along every path, for it to be checked against its
metaschema when a tool is declared."""


def _size(node: Any, sizes: dict[int, int], above: set[int]) -> int:
    """How many values `node` holds along every path (one shared part counted at each place it stands), past
    `MAX_CHECKED_SCHEMA` for one that holds itself; each part counted once (`sizes`, by identity)."""
    if not isinstance(node, (Mapping, list)):
        return 1
    if id(node) in above or len(above) > 64:
        return MAX_CHECKED_SCHEMA + 1
    if id(node) not in sizes:
        above.add(id(node))
        parts = node.values() if isinstance(node, Mapping) else node
        sizes[id(node)] = min(1 + sum(_size(p, sizes, above) for p in parts), MAX_CHECKED_SCHEMA + 1)
        above.discard(id(node))
    return sizes[id(node)]


@functools.cache
def _formats(base: type) -> Any:
    """The formats `base`'s metaschema checks a schema's parts by, a `regex` read as a call's check reads it
    (`_searcher`): Python's `re` alone refuses ECMA-262's `\\p{L}`, which pydantic-core's engine reads."""
    formats = jsonschema.FormatChecker(base.FORMAT_CHECKER.checkers)
    formats.checks("regex", raises=(re.error, regex.error, TypeError))(lambda text: not isinstance(text, str) or bool(_searcher(text)))
    return formats


@functools.cache
def _as_read(base: type, unevaluated_by_pattern: bool = False) -> type:
    """`base` with `nullable: true` allowing null whatever the `type` (OpenAPI 3.0's word, which many servers
    use), `pattern` and `patternProperties` searched in time linear in the text (`_searcher`), `uniqueItems` in
    time linear in the array (`_json_key`), and each keyword it applies counted against the check's
    `MAX_CHECK_STEPS`. `unevaluated_by_pattern`: an object checked by `unevaluatedProperties` is refused, since
    `jsonschema` would search the schema's `patternProperties` for it with Python's `re` (hours for one key)."""
    typed, compared = base.VALIDATORS["type"], base.VALIDATORS["uniqueItems"]
    unevaluated = base.VALIDATORS.get("unevaluatedProperties")

    def type_(validator: Any, types: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if instance is None and isinstance(schema, Mapping) and schema.get("nullable") is True:
            return
        yield from typed(validator, types, instance, schema)

    def pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not _searcher(pattern)(instance):
            yield jsonschema.ValidationError(f"does not match {pattern!r:.80}")

    def unique(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
        # `jsonschema` compares each object with every one before it (objects cannot be sorted): minutes for a
        # model-written array of 20,000; a set of their keys is one pass
        if unique and validator.is_type(instance, "array"):
            try:
                keys = [_json_key(item) for item in instance]
            except TypeError:  # not JSON (an argument given in-process): compared as `jsonschema` compares them
                yield from compared(validator, unique, instance, schema)
                return
            if len(set(keys)) < len(keys):
                yield jsonschema.ValidationError("has non-unique elements")
    def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "object"):
            for each, subschema in patterns.items():
                search = _searcher(each)
                for key, value in instance.items():
                    if search(key):
                        yield from validator.descend(value, subschema, path=key, schema_path=each)

    def additional(validator: Any, allowed: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        named, searches = schema.get("properties", {}), [_searcher(p) for p in schema.get("patternProperties", {})]
        extras = [k for k in instance if k not in named and not any(search(k) for search in searches)]
        if validator.is_type(allowed, "object"):
            for key in extras:
                yield from validator.descend(instance[key], allowed, path=key)
        elif not allowed and extras:  # the keys are the model's: named by their count alone
            yield jsonschema.ValidationError(f"has {len(extras)} propert{'y' if len(extras) == 1 else 'ies'} "
                                             "its schema does not allow")

    def refused(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "object"):
            raise _TooLong("its unevaluatedProperties beside patternProperties, whose patterns would be searched "
                           "in time exponential in a key")
        yield from unevaluated(validator, value, instance, schema)

    keywords = {**base.VALIDATORS, "type": type_, "pattern": pattern, "uniqueItems": unique}
    if "patternProperties" in keywords:
        keywords.update(patternProperties=pattern_properties, additionalProperties=additional)
    if unevaluated_by_pattern and unevaluated is not None:
        keywords["unevaluatedProperties"] = refused
    return extend(base, {k: _counted(v) for k, v in keywords.items()})


def _json_key(value: Any) -> Any:
    """`value` as a key equal to another's where JSON Schema says the two are equal: keys in any order, 1 and
    1.0 one number, true and 1 two values."""
    if value is None or isinstance(value, bool):
        return ("literal", value)
    if isinstance(value, str):
        return ("string", str(value))
    if isinstance(value, (int, float)):
        return ("number", int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, (list, tuple)):
        return ("array", tuple(_json_key(v) for v in value))
    if isinstance(value, Mapping):
        return ("object", frozenset((k, _json_key(v)) for k, v in value.items()))
    raise TypeError(f"not a JSON value: {type(value).__name__}")


MAX_CHECK_STEPS = 500_000
"""The most keywords one check of a call by its JSON schema applies (a second or two): past them the call is
one its schema cannot check, refused. A union whose branches share a child (a tree of nodes, pydantic's
discriminated union) doubles the work at each level a model nests its value: 40 levels would take years."""

_STEPS: ContextVar[list[float] | None] = ContextVar("vfa_schema_steps", default=None)


class _TooLong(Exception):
    """A check past `MAX_CHECK_STEPS`."""


def _counted(keyword: Callable[..., Any]) -> Callable[..., Any]:
    """`keyword`'s check, counted against the running check's steps (`_unfit` gives each check its own)."""
    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        left = _STEPS.get()
        if left is not None:
            left[0] -= 1
            if left[0] < 0:
                raise _TooLong(f"more than {MAX_CHECK_STEPS} steps: the value nests too deep for its schema's unions")
        return keyword(validator, value, instance, schema)
    return check


@functools.lru_cache(maxsize=512)
def _searcher(pattern: str) -> Callable[[str], bool]:
    """Whether a text holds a match of `pattern`, by pydantic-core's Rust engine, which never backtracks: a
    model writes the text, and Python's `re` can take hours over 30 characters for a pattern such as
    `^(a+)+$`. A pattern that engine cannot read (a lookaround, a backreference) is searched by `re`."""
    if not isinstance(pattern, str):
        raise TypeError(f"a pattern must be text, not {type(pattern).__name__}")
    try:
        check = SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except CoreSchemaError:
        # `regex` reads what Python's `re` does, and can stop a search: all of a check's searches together
        # within `MAX_PATTERN_SECONDS`, past which the call is one its schema cannot check (refused)
        compiled = regex.compile(pattern)

        def search(text: str) -> bool:
            try:
                return compiled.search(text, timeout=_pattern_budget()) is not None
            except TimeoutError:
                raise _TooLong(f"searching its pattern {pattern!r:.60} took over {MAX_PATTERN_SECONDS} s") from None
        return search
    return check.isinstance_python


MAX_PATTERN_SECONDS = 1.0
"""The longest all of one call's searches of patterns pydantic-core's engine cannot read (a lookaround, a
backreference) may take together: backtracking can take hours over a model's 30 characters."""


_CALL_DEADLINE: ContextVar[float | None] = ContextVar("vfa_schema_call_deadline", default=None)


def _pattern_budget() -> float:
    left = _STEPS.get()
    return MAX_PATTERN_SECONDS if left is None else max(left[1] - time.monotonic(), 0.0)


class SchemaUnfit(ValueError):
    """A call, or one of its arguments, that its JSON schema refuses. `arguments`: the arguments its errors
    are all in, None where one is the call's own (a `required`, an `anyOf` at its top) or not known: pydantic
    places an error of the whole call's check in no argument, and the handles' validation
    (`vfa._tools._fails_only_in`) reads where a handle's text failed, to judge its value instead."""

    def __init__(self, said: str, arguments: frozenset[str] | None = None) -> None:
        super().__init__(said)
        self.arguments = arguments


def _unfit(errors: Iterator[Any], skip: int) -> SchemaUnfit | None:
    """What the most relevant of a check's `errors` says, or None for none: where (below the first `skip`
    steps of its path, which the caller names) and the rule it breaks, never the value itself (a value
    behind a handle is validated too, and an error is told to the model and journaled)."""
    call = _CALL_DEADLINE.get()  # one call's checks (each argument's, then the whole's) share its budget
    steps = _STEPS.set([MAX_CHECK_STEPS, call if call is not None else time.monotonic() + MAX_PATTERN_SECONDS])  # the errors are found as they are read, each check within its steps
    try:
        found = list(errors)
        error = best_match(found)
    except _TooLong as exc:
        return SchemaUnfit(f"cannot be checked by its schema ({exc})")
    except Exception as exc:  # noqa: BLE001 - a `type` no draft knows, a `$ref` to nowhere, a value too deep
        return SchemaUnfit(f"cannot be checked by its schema ({type(exc).__name__}: "
                           f"{str(exc).splitlines()[0][:120] if str(exc) else ''})")
    finally:
        _STEPS.reset(steps)
    if error is None:
        return None
    arguments = frozenset(str(e.relative_path[0]) for e in found) if all(e.relative_path for e in found) else None
    where = ".".join(map(str, list(error.relative_path)[skip:]))
    rule = error.validator_value
    plain = (str, int, float, bool, type(None))
    said = ""
    if isinstance(rule, plain) or (isinstance(rule, list) and all(isinstance(r, plain) for r in rule)):
        said = " " + json.dumps(rule)[:80]
    keyword = error.validator if isinstance(error.validator, str) else "false (nothing is allowed here)"
    return SchemaUnfit(f"{where + ': ' if where else ''}does not satisfy the schema's {keyword}{said}", arguments)


def _checked_as(checker: Any, prop: Any, key: str) -> Any:
    """A wrap validator checking one property's value by its schema `prop` (after its type's own check): its
    error is the property's, which tells the handles' validation (`vfa._tools._fails_only_in`) where it is."""
    def check(value: Any, handler: Callable[[Any], Any]) -> Any:
        out = handler(value)
        unfit = _unfit(checker.descend(value, prop, path=key), 1)
        if unfit is not None:
            raise unfit
        return out
    return WrapValidator(check)


def _checked_whole(checker: Any) -> Any:
    """A model validator checking the call as a whole by its schema, once its fields have been checked (its
    error names the arguments it is in: `SchemaUnfit.arguments`)."""
    def check(cls: Any, data: Any, handler: Callable[[Any], Any]) -> Any:
        call = _CALL_DEADLINE.set(time.monotonic() + MAX_PATTERN_SECONDS)
        try:
            out = handler(data)
            unfit = _unfit(checker.iter_errors(data), 0)
        finally:
            _CALL_DEADLINE.reset(call)
        if unfit is not None:
            raise unfit
        return out
    return model_validator(mode="wrap")(check)


def _integral(value: Any) -> Any:
    """A float with no fraction (12.0) as the integer it is in JSON Schema, which many models write every
    number as; judged as 12, equal to the 12.0 the tool is given as written. Anything else as it is."""
    return int(value) if value.__class__ is float and value.is_integer() else value


def _one_of(options: tuple[Any, ...]) -> Callable[[Any], Any]:
    """A check that a value is one of an enum's `options` as JSON Schema compares them: true is not 1, nor
    false 0 (Python's `==`, which a `Literal` goes by, says they are), while 1.0 is 1."""
    def check(value: Any) -> Any:
        if not any((o.__class__ is bool) is (value.__class__ is bool) and o == value for o in options):
            raise ValueError(f"Input should be one of {', '.join(map(repr, options))}"[:200])
        return value
    return check


MAX_SCHEMA_DEPTH = 16
"""How deep a JSON schema's objects and arrays are read; below it a value is any JSON value (a schema is
a tree of mappings a server sends, which may nest without end, or hold itself)."""


_JSON_TYPES: dict[str, Any] = {"string": str, "integer": typing.Annotated[int, BeforeValidator(_integral)],
                               "number": float, "boolean": bool, "null": type(None)}


def _model_of_json_schema(name: str, schema: Mapping[str, Any], depth: int = 0,
                          read: dict[tuple[int, int], Any] | None = None, checker: Any = None) -> type[BaseModel]:
    """A pydantic model of an object's JSON schema: its properties by type (strings, numbers, booleans,
    arrays and objects of them, to `MAX_SCHEMA_DEPTH`; enums as their values), strictly (never coerced: the
    tool gets them as written), required or with their defaults; what it does not say or this reading does
    not know (`anyOf`, `$ref`) is any JSON value. More properties are allowed unless `additionalProperties`
    is false, and are judged and given as written (`ToolSpec.validate`). `read`: the sub-schemas read so
    far, by identity and depth (`_json_type`); `checker` (the call's, at the top): each property and the whole
    checked by it as well."""
    read = {} if read is None else read
    props = schema.get("properties")
    props = props if isinstance(props, Mapping) else {}
    required = schema.get("required")
    required = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
    fields: dict[str, Any] = {}
    odd: dict[str, tuple[TypeAdapter[Any], bool, Any]] = {}
    for key, prop in props.items():
        if not isinstance(key, str):
            continue  # no call can name it (`ToolSpec.validate`)
        kind = _json_type(f"{name}_{key}", prop if isinstance(prop, Mapping) else {}, depth, read)
        if checker is not None:
            kind = typing.Annotated[kind, _checked_as(checker, prop, key)]
        if not key.isidentifier() or key.startswith("_") or hasattr(BaseModel, key):
            # no field can bear it ("zip-code", "_id", "model_dump"): checked beside the fields, given as written
            odd[key] = (TypeAdapter(kind), key in required, prop.get("default", _NO_DEFAULT) if isinstance(prop, Mapping)
                        else _NO_DEFAULT)
        elif key in required:
            fields[key] = (kind, ...)
        else:  # left out, judged as its default; null only where its type allows it, as JSON Schema reads it
            fields[key] = (kind, prop.get("default") if isinstance(prop, Mapping) else None)
    # properties named by pattern are more than the fields: what is allowed is the checker's to say
    closed = schema.get("additionalProperties") is False and not schema.get("patternProperties")
    validators = {"_vfa_odd": model_validator(mode="before")(_odd_check(odd, set(fields) if closed else None))} if odd else {}
    if checker is not None:
        validators["_vfa_schema"] = _checked_whole(checker)
    # strict: the tool is given the call as written (LangChain never validates a JSON schema), so a value is
    # judged as written or refused; lax, "no" would be judged False and reach the tool as text Python reads true
    config = ConfigDict(extra="forbid" if closed and not odd else "allow", strict=True)
    return create_model(name, __config__=config, __validators__=validators, **fields)


_NO_DEFAULT = object()


def _odd_check(odd: Mapping[str, tuple[TypeAdapter[Any], bool, Any]], closed: set[str] | None) -> Any:
    """A check of the properties no field can bear (`odd`), by their types, one left out judged as its default
    (as a field's is); with `closed` (the fields' names, for a schema without more properties) it also refuses
    any property the schema does not name."""
    def check(cls: Any, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data  # the model's own check names it
        for key, (adapter, required, default) in odd.items():
            if key not in data:
                if required:
                    raise ValueError(f"{key}: Field required")
                if default is not _NO_DEFAULT:
                    data = {**data, key: copy.deepcopy(default)}  # a copy, as a field's default is
                continue
            try:
                adapter.validate_python(data[key], strict=True)
            except ValidationError as exc:
                raise ValueError("; ".join(f"{'.'.join(map(str, (key, *e['loc'])))}: {e['msg']}"
                                           for e in exc.errors()[:3])) from None
        if closed is not None:
            more = [k for k in data if k not in closed and k not in odd]
            if more:
                raise ValueError(f"{str(more[0])[:60]}: Extra inputs are not permitted")
        return data
    return check


def _json_type(name: str, prop: Mapping[str, Any], depth: int = 0, read: dict[tuple[int, int], Any] | None = None) -> Any:
    """The type of a value `prop` describes, `depth` objects and arrays down; read once per sub-schema and depth
    (`read`, kept with the sub-schema so that its id is not reused): a sub-schema that several properties
    share, or one that holds itself twice (a dereferenced `$ref`: a filter's `and`/`or`), read once per
    path would be read 2**16 times and more."""
    if depth >= MAX_SCHEMA_DEPTH:
        return Any
    read = {} if read is None else read
    key = (id(prop), depth)
    if key not in read:
        read[key] = (prop, _json_type_of(name, prop, depth, read))
    return read[key][1]


def _json_type_of(name: str, prop: Mapping[str, Any], depth: int, read: dict[tuple[int, int], Any]) -> Any:
    if prop.get("nullable") is True:  # OpenAPI's word, not JSON Schema's: a server built on it takes null
        return typing.Optional[_json_type(name, {k: v for k, v in prop.items() if k != "nullable"}, depth, read)]
    enum_ = prop.get("enum")
    if isinstance(enum_, list) and enum_ and all(isinstance(v, (str, int, float, bool)) for v in enum_):
        options = tuple(enum_)
        return typing.Annotated[typing.Literal[options], BeforeValidator(_one_of(options))]
    kind = prop.get("type")
    if isinstance(kind, list):  # ["string", "null"]: any of them
        kinds = [_json_type(name, {**prop, "type": k}, depth, read) for k in kind if isinstance(k, str)]
        return typing.Union[tuple(kinds)] if kinds else Any
    if kind == "array":
        items = prop.get("items")
        return list[_json_type(f"{name}_item", items if isinstance(items, Mapping) else {}, depth + 1, read)]
    if kind == "object":
        inner = prop.get("properties")
        if not (isinstance(inner, Mapping) and inner) and prop.get("additionalProperties") is not False:
            return dict[str, Any]  # says nothing of its properties: any mapping
        # checked as its own schema says, and kept a mapping as written (a model would reach the tool as one)
        return typing.Annotated[dict[str, Any], AfterValidator(_object_of(_model_of_json_schema(name, prop, depth + 1, read)))]
    return _JSON_TYPES.get(kind, Any) if isinstance(kind, str) else Any


def _object_of(model: type[BaseModel]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A check of a nested object by its schema's `model`: the object itself is kept, as written."""
    def check(value: dict[str, Any]) -> dict[str, Any]:
        try:
            model.model_validate(value)
        except ValidationError as exc:
            raise ValueError("; ".join(f"{'.'.join(map(str, e['loc'])) or '(object)'}: {e['msg']}"
                                       for e in exc.errors()[:3])) from None
        return value
    return check
