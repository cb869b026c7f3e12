"""LangChain tools as tool specs: their arguments as the tool reads them, their runs as a `ToolNode` gives
them (injected arguments, errors its handler words, the message it answers with)."""

from __future__ import annotations

import contextlib
import copy
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError, create_model,
                      model_validator)

from ._effects import Effect
from ._exceptions import error_text
from ._injected import answered_runs, answers_with_message, injected_args, injected_names, injected_runs
from ._tools import INJECTED, RESULT_SHAPE, ToolSpec

__all__ = ["GIVEN_BY_DEFAULT", "args_model_of", "errors_raised", "handler_words", "in_handler_words"]


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
                          read: dict[tuple[int, int], Any] | None = None) -> type[BaseModel]:
    """A pydantic model of an object's JSON schema: its properties by type (strings, numbers, booleans,
    arrays and objects of them, to `MAX_SCHEMA_DEPTH`; enums as their values), strictly (never coerced: the
    tool gets them as written), required or with their defaults; what it does not say or this reading does
    not know (`anyOf`, `$ref`) is any JSON value. More properties are allowed unless `additionalProperties`
    is false, and are judged and given as written (`ToolSpec.validate`). `read`: the sub-schemas read so
    far, by identity and depth (`_json_type`)."""
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
        if not key.isidentifier() or key.startswith("_") or hasattr(BaseModel, key):
            # no field can bear it ("zip-code", "_id", "model_dump"): checked beside the fields, given as written
            odd[key] = (TypeAdapter(kind), key in required, prop.get("default", _NO_DEFAULT) if isinstance(prop, Mapping)
                        else _NO_DEFAULT)
        elif key in required:
            fields[key] = (kind, ...)
        else:  # left out, judged as its default; null only where its type allows it, as JSON Schema reads it
            fields[key] = (kind, prop.get("default") if isinstance(prop, Mapping) else None)
    closed = schema.get("additionalProperties") is False
    validators = {"_vfa_odd": model_validator(mode="before")(_odd_check(odd, set(fields) if closed else None))} if odd else {}
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


def args_model_of(tool: Any, drop: frozenset[str] = frozenset()) -> type[BaseModel]:
    """The model a LangChain tool's call is validated by; `drop`: names whose values the model wrote are
    left out of the validation (injected arguments the tool is given otherwise, as the `Agent` gives them)."""
    # tool_call_schema is what the model sees: injected arguments (state, config, call id) are not
    # the model's to give, so they are not validated as if they were.
    schema = getattr(tool, "tool_call_schema", None) or tool.args_schema
    if isinstance(schema, Mapping):  # a JSON schema (an MCP tool's): its arguments validated as it says
        return _model_of_json_schema(f"{tool.name}_args", schema)
    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        return create_model(f"{tool.name}_args", __config__=ConfigDict(extra="allow"))
    return _as_the_tool_reads(tool, schema, drop)


def _from_langchain_tool(tool: Any) -> ToolSpec:
    # an argument the model is shown is the model's (the guards judge it): LangGraph takes a parameter merely
    # named `runtime` for the runtime, which would give the tool a ToolRuntime where the model wrote a value
    shown = _shown_names(tool)
    injected = {k: kind for k, kind in injected_args(tool).items() if k not in shown}
    # what the model writes under an injected name never reaches the tool (`injected_runs` drops it): nor
    # does it feed the validation the guards judge by (a validator of the tool's own reading the state)
    schema = args_model_of(tool, injected_names(tool, injected))
    inner = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
    is_effect = isinstance(inner, Effect)
    # a tool with only a coroutine cannot be invoked: awaited instead, on the caller's loop (`_run`)
    only_async = getattr(tool, "func", None) is None and getattr(tool, "coroutine", None) is not None
    run, arun = _plain_runs(tool)
    meta = dict(getattr(inner, "meta", None) or getattr(inner, "__vfa_meta__", {}))
    bare = [k for k, kind in injected.items() if kind == "arg"]
    if bare and isinstance(schema, type) and issubclass(schema, BaseModel):
        schema = _given_by_default(tool, schema, bare)
    if injected or answers_with_message(tool):
        # it may answer with a message (one of any id is read by its content, and a tool given its call id,
        # a runtime or the state knows its own), whose text may be the JSON of records or text anyone shaped
        # like them
        meta.setdefault(RESULT_SHAPE, "unknown")
    if injected:
        meta[INJECTED] = injected  # the privacy flow refuses a tool that may disclose what it cannot label
        run, arun = injected_runs(tool, injected, run, arun)
    else:  # a message it relays is read by its content, never its repr (private fields in clear)
        run, arun = answered_runs(run, arun, records=meta.get(RESULT_SHAPE) == "unknown")
    return ToolSpec(
        name=tool.name, description=tool.description or tool.name, args_model=schema,
        fn=(lambda **kw: arun(kw)) if only_async else (lambda **kw: run(kw)), is_effect=is_effect,
        is_async=only_async,
        idempotent=bool(getattr(inner, "idempotent", False)),
        guards=tuple(getattr(inner, "guards", ()) or getattr(inner, "__vfa_guards__", ())),
        meta=meta, source=tool, takes_written=True,
    )


def errors_raised(tool: Any) -> tuple[Any, Any]:
    """`tool` as a plain invocation runs it, and its `handle_tool_error` (or None): a tool that handles its
    `ToolException` returns the error's text as a bare result, with no status to tell it from its output
    (read as its output, trusted as the tool declares it), so a copy that raises it is run instead."""
    flag = getattr(tool, "handle_tool_error", None)
    if not flag or not callable(getattr(tool, "model_copy", None)):
        return tool, None
    return tool.model_copy(update={"handle_tool_error": False}), flag


def handler_words(exc: Exception, flag: Any) -> str:
    """The text a tool's error handler (`flag`) words for `exc`, as its own invocation would return it."""
    from langchain_core.tools.base import _handle_tool_error  # the one place LangChain words it

    content = _handle_tool_error(exc, flag=flag)
    return content if isinstance(content, str) else repr(content)


@contextlib.contextmanager
def in_handler_words(flag: Any, error: type[Exception]) -> Iterator[None]:
    """Raise a `ToolException` raised inside as an `error` in the words its tool's handler (`flag`, from
    `errors_raised`; None or false for a tool with none, whose exception goes on as it is) gives it."""
    from langchain_core.tools import ToolException

    try:
        yield
    except ToolException as exc:
        if not flag:
            raise
        raise error(handler_words(exc, flag)) from exc


def _shown_names(tool: Any) -> frozenset[str]:
    """The names of the arguments the model is shown (its tool-call schema's: a model's fields, a JSON
    schema's properties)."""
    schema = getattr(tool, "tool_call_schema", None) or getattr(tool, "args_schema", None)
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return frozenset(schema.model_fields)
    props = schema.get("properties") if isinstance(schema, Mapping) else None
    return frozenset(props) if isinstance(props, Mapping) else frozenset()


def _plain_runs(tool: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How the `Agent` runs a LangChain tool with plain arguments: a `ToolException` its handler would
    turn into a bare result is raised in the handler's words (a failure, labelled as error text)."""
    from langchain_core.tools import ToolException

    # the copy is made at each call, as `graphs` makes it: the tool as the app left it (a field it
    # changed since the agent was built, a kill switch), never the tool as it was at start-up
    def run(args: Any) -> Any:
        raw, flag = errors_raised(tool)
        with in_handler_words(flag, ToolException):
            return raw.invoke(args)

    async def arun(args: Any) -> Any:
        raw, flag = errors_raised(tool)
        with in_handler_words(flag, ToolException):
            return await raw.ainvoke(args)

    return run, arun


def _as_the_tool_reads(tool: Any, visible: type[BaseModel], drop: frozenset[str] = frozenset()) -> type[BaseModel]:
    """The model a LangChain tool's call is validated by, as the tool itself validates it (`_parse_input`);
    the values written under the injected names `drop` (and their aliases) left out."""
    # the model-visible schema is a copy of the `args_schema`'s fields alone (no aliases, validators or
    # config), while the tool validates by its own: a key the copy drops (an alias, a legacy key a
    # validator reads) would reach the tool unjudged
    full = getattr(tool, "args_schema", None)
    if not (isinstance(full, type) and issubclass(full, BaseModel)):
        return visible
    # a computed field is in the `model_dump` the tool's arguments are read from: a key the model writes
    # under its name gives the tool the computed value, never judged as that argument
    computed = frozenset(full.model_computed_fields)
    # the tool is given the keys of that `model_dump` alone: an argument it leaves out (`exclude=True`) reaches the
    # tool as its function's default, never as what was written and judged
    written = frozenset(visible.model_fields) & frozenset(full.model_fields)
    dumped = _dumps_all(full)
    if set(full.model_fields) == set(visible.model_fields):
        if not computed and dumped:
            return full  # the model writes all of it: judged as the tool reads it, its validators too
        body: dict[str, Any] = {"__module__": full.__module__}
        if computed:
            body["_vfa_computed"] = model_validator(mode="before")(
                classmethod(lambda cls, data: _no_computed(data, computed)))
        if not dumped:
            body["_vfa_dumped"] = model_validator(mode="after")(lambda self: _all_dumped(self, written))
        return type(full.__name__, (full,), body)
    # injected arguments (the ToolNode's) are not the model's to write: the copy, refusing any key that
    # names no argument of the tool (an injected one's name stays the app's own node's to pass)
    allow = full.model_config.get("extra") == "allow"  # the tool reads more keys: judged and given as written
    known = frozenset(full.model_fields) | frozenset(visible.model_fields)
    # the tool validates by its own schema, whose validators may move a value from one argument into
    # another (a `reply_to` made the recipient): the call is validated by it too, the arguments no guard
    # judges (the ToolNode's) left optional, and every argument judged as the tool will read it
    loose: dict[type, type[BaseModel]] = {}
    drop = drop | {f.alias for k, f in full.model_fields.items() if k in drop and isinstance(f.alias, str)}

    def as_the_tool(cls: Any, data: Any, handler: Any) -> Any:
        # a key dropped below (an injected argument's alias) reaches no one: dropped, as its name is, not refused
        unknown = [k for k in data if k not in known and k not in drop] if isinstance(data, Mapping) and not allow else []
        if unknown:
            raise ValueError(f"{', '.join(repr(k) for k in unknown[:5])}: no argument of the tool (its schema "
                             "may read it under another name, which no guard would judge)")
        _no_computed(data, computed)
        if drop and isinstance(data, Mapping):
            data = {k: v for k, v in data.items() if k not in drop}
        base = handler(data)
        shown = type(base).model_fields  # the visible arguments, and a bare InjectedToolArg the gate judges
        by = loose.get(type(base))
        if by is None:
            by = loose[type(base)] = create_model(
                f"{full.__name__}_as_validated", __base__=full, __module__=full.__module__,
                **{k: (Any, None) for k in set(full.model_fields) - set(shown)})
        try:
            read = by.model_validate(data)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - a validator that needs an injected value: what it makes is not known
            raise ValueError(f"the tool's own schema cannot be checked without its injected arguments "
                             f"({error_text(exc)})"[:500]) from None
        if not dumped:
            _all_dumped(read, written)
        # what its validators made (a value moved into a hidden recipient, a key added), never the copy's
        return cls.model_construct(_fields_set=read.model_fields_set & set(shown),
                                   **{k: getattr(read if k in full.model_fields else base, k) for k in shown},
                                   **(read.__pydantic_extra__ or {}))

    body: dict[str, Any] = {"__module__": visible.__module__,
                            "_vfa_as_the_tool": model_validator(mode="wrap")(classmethod(as_the_tool))}
    if allow:
        body["model_config"] = ConfigDict(extra="allow")
    return type(visible.__name__, (visible,), body)


def _given_by_default(tool: Any, schema: type[BaseModel], bare: list[str]) -> type[BaseModel]:
    """`schema` with the arguments a bare `InjectedToolArg` hides from the model, as the `Agent` gives them to
    the tool: what the model wrote under their names dropped (as a `ToolNode` strips it, `injected_runs`),
    so the tool gets its default, which the guards judge (a recipient the privacy flow must see); never
    shown to the model."""
    from pydantic.json_schema import SkipJsonSchema

    full = getattr(tool, "args_schema", None)
    if not (isinstance(full, type) and issubclass(full, BaseModel)):
        return schema
    fields: dict[str, Any] = {k: (SkipJsonSchema[full.model_fields[k].annotation], full.model_fields[k])
                              for k in bare if k in full.model_fields}

    def dropped(cls: Any, data: Any, handler: Any) -> Any:
        return handler({k: v for k, v in data.items() if k not in fields} if isinstance(data, Mapping) else data)

    return create_model(schema.__name__, __base__=schema, __module__=schema.__module__,
                        __validators__={GIVEN_BY_DEFAULT: model_validator(mode="wrap")(classmethod(dropped))}, **fields)


GIVEN_BY_DEFAULT = "_vfa_given_by_default"
"""The name of the validator dropping what is written under a bare `InjectedToolArg`'s name (`_given_by_default`):
a gate whose tools are given what is written there (`graphs`) overrides it."""


def _dumps_all(model: type[BaseModel]) -> bool:
    """Whether every field of `model` is in its `model_dump` whatever its value: none is excluded (`exclude`,
    `exclude_if`) and no serializer of the model's own decides the keys."""
    decorators = getattr(model, "__pydantic_decorators__", None)
    return not (any(f.exclude or getattr(f, "exclude_if", None) is not None for f in model.model_fields.values())
                or (decorators is not None and decorators.model_serializers))


def _all_dumped(validated: BaseModel, names: frozenset[str]) -> BaseModel:
    """`validated`, unless its `model_dump` (the keys LangChain gives the tool) leaves out one of the arguments
    `names`: the tool would run on its function's default for it, which no guard judges."""
    dumped = validated.model_dump()
    left = sorted(k for k in names if k not in dumped)
    if left:
        raise ValueError(f"{', '.join(repr(k) for k in left[:5])}: left out of the arguments the tool is given (its "
                         "schema's dump excludes it), so the tool would run on its own default, which no guard judges")
    return validated


def _no_computed(data: Any, computed: frozenset[str]) -> Any:
    """`data`, unless it writes a computed field's name (the tool would be given the computed value)."""
    named = [k for k in data if k in computed] if computed and isinstance(data, Mapping) else []
    if named:
        raise ValueError(f"{', '.join(repr(k) for k in named[:5])}: a value the tool's schema computes (the tool "
                         "would read it in place of what is written, which no guard would judge)")
    return data
