"""Tool specs: one description of any tool an agent may propose (an effect or a read-only tool)."""

from __future__ import annotations

import cmath
import contextlib
import dataclasses
import enum
import functools
import inspect
import math
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SecretBytes,
    SecretStr,
    TypeAdapter,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import to_jsonable_python

from ._effects import Effect
from ._exceptions import ConfigError, error_text
from ._guard import check_budgets
from ._injected import answered_runs, answers_with_message, injected_args, injected_names, injected_runs

__all__ = ["ToolSpec", "ArgumentError"]


RESULT_SHAPE = "vfa.result_shape"
"""`ToolSpec.meta` key, set where a tool's result reaches vfa already turned into text (a retrofitted
`ToolNode`): "records" (the text is the JSON of the records the tool returned), "text" (the tool
returned text), or "unknown" (either: the tool does not say, so text that merely looks like JSON may
be anyone's)."""

INJECTED = "vfa.injected"
"""`ToolSpec.meta` key, set by a gate for a tool a `ToolNode` runs: the tool's arguments the model does
not write, which the `ToolNode` injects (state, store, runtime, call id), each to what it injects:
"call_id", "state", "store" or "runtime": no guard sees their values, so a guard whose rules cover
every argument must be told what the tool does with them (the privacy guard refuses a tool that may
disclose state, store or runtime: it cannot label them). "arg" marks one hidden from the model by a bare
`InjectedToolArg`: a ToolNode leaves it out, and where an app's own node runs the model's call the
guards judge the value the call holds (`GatedTool`), so a sink may name it."""


_PLAIN = frozenset({str, int, float, bool, type(None)})


def json_value(value: Any) -> Any:
    """A validated value as the JSON the model wrote for it, holding all the tool can read of it: every
    field of a model (those kept out of its dumps too, never through its serialisers), a secret's value,
    bytes' text, an enum's value, a `Decimal`'s digits, the attributes of an object of another type;
    one with none, as its `str`. Raises `ValueError` past `MAX_JSON_NODES` values read (objects that
    share parts are read once per path: a graph of them may hold more paths than any argument)."""
    if value.__class__ in _PLAIN:
        return value
    return _json(value, [MAX_JSON_NODES])


MAX_JSON_NODES = 100_000
"""The most values `json_value` reads of one value; past it the value is refused, never read for ever."""


def _json(value: Any, left: list[int]) -> Any:
    left[0] -= 1
    if left[0] < 0:
        raise ValueError(f"a value holding more than {MAX_JSON_NODES} values (or one part shared many times over)")
    cls = value.__class__
    if cls in _PLAIN:
        return value
    if isinstance(value, BaseModel):  # not `model_dump`: a serialiser or `exclude` may hide what the tool reads
        fields = type(value).model_fields
        out = {_key(fields[k].alias if k in fields and isinstance(fields[k].alias, str) else k, left): _json(v, left)
               for k, v in value.__dict__.items()}
        out.update((_key(k, left), _json(v, left)) for k, v in (value.__pydantic_extra__ or {}).items())
        return out
    if isinstance(value, (SecretStr, SecretBytes)):
        return _json(value.get_secret_value(), left)
    if isinstance(value, Mapping):
        return {_key(k, left): _json(v, left) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v, left) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_json(v, left) for v in value), key=repr)  # in one order, whatever the hash seed
    if isinstance(value, (bytes, bytearray)):
        # not UTF-8: its bytes kept as escapes, which no validation turns back into other bytes
        return bytes(value).decode("utf-8", "surrogateescape")
    if isinstance(value, enum.Enum):
        return _json(value.value, left)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name), left) for f in dataclasses.fields(value)}
    try:  # the standard library's values (a date, a Decimal, a UUID): as pydantic writes them
        return to_jsonable_python(value)
    except Exception:  # noqa: BLE001 - a type pydantic cannot write, or whose serialiser fails
        pass
    # a type of the tool's own (a wrapper that redacts its str): read by its attributes, what the tool reads
    attrs = _attributes(value)
    return {name: _json(v, left) for name, v in attrs.items()} if attrs else str(value)


def _attributes(value: Any) -> dict[str, Any]:
    """An object's own attributes: its `__dict__` and the `__slots__` of its classes that are set."""
    found = dict(getattr(value, "__dict__", None) or {})
    for cls in type(value).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if name not in ("__dict__", "__weakref__") and name not in found and hasattr(value, name):
                found[name] = getattr(value, name)
    return found


def _key(key: Any, left: list[int]) -> str:
    """A key as JSON holds it."""
    plain = _json(key, left)
    return plain if isinstance(plain, str) else str(plain)


MAX_ARG_DEPTH = 64
"""How deeply a proposal's arguments may nest (lists and objects); deeper is a deny. A fixed bound:
whether the journal's encoder, a few frames further down, could write them would otherwise depend on
how deep the stack already was."""


def nested_over(value: Any, text: str, limit: int) -> bool:
    """Whether `value` (whose JSON is `text`) nests lists and objects more than `limit` levels deep."""
    if text.count("[") + text.count("{") <= limit:  # fewer brackets than levels: no walk needed
        return False
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, (list, tuple)) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list, tuple)))
    return False


def as_validated(spec: ToolSpec | None, args: dict[str, Any]) -> dict[str, Any]:
    """Recorded arguments as a guard node checks them: validated by the tool's signature, its defaults
    filled in; as recorded when they do not validate (a call the node refuses, or one an agent without
    vfa ran)."""
    if spec is None:
        return args
    try:
        return spec.validate(args)
    except ArgumentError:
        return args


def validated_by_value(spec: ToolSpec, raw: Any, flow: Any, thread_id: str) -> tuple[dict[str, Any], frozenset[str]]:
    """A call's arguments validated by its tool's schema, and the names of those validated on the values
    behind their handles instead (`Proposal.by_value`): a handle stands wherever its value fits, where
    the tool wants a number or a type of its own (a `SecretStr`, a model) too. `flow` (or None) gives
    the handles (`marked`) and their values (`values`). Raises `ArgumentError` for a call that does
    not fit, other than where its handles stand. The guard node validates so, and so does an audit of
    its record: a default filled in only by value (a default recipient) is judged by both."""
    try:
        args, error = spec.validate(raw), None
    except ArgumentError as exc:
        args, error = None, exc
    marked = getattr(flow, "marked", None)
    held = marked(raw) if marked is not None and isinstance(raw, Mapping) else frozenset()
    if not held:
        if error is not None:
            raise error
        return args, frozenset()
    if args is not None:
        # a handle inside a value of the tool's own type is out of the flow's reach: the argument is
        # kept as written and validated again once its handles are swapped (`GuardNode._by_value`)
        typed = frozenset(k for k in held if k in args and not _plain_json(args[k]))
        return ({**args, **{k: raw[k] for k in typed}}, typed) if typed else (args, frozenset())
    if not _fails_only_in(spec, raw, held):
        raise error
    # it fits only by the values behind its handles: validated on its values, it is judged as the
    # effect will receive it (the schema's defaults filled in: a default recipient receives what the
    # call discloses), but for the arguments holding handles, judged as written
    values = getattr(flow, "values", None)
    try:
        resolved = values(raw, thread_id) if values is not None else None
        checked = spec.validate(resolved) if resolved is not None else None
    except Exception:  # noqa: BLE001 - judged as written (a flow that cannot resolve them denies, `values`)
        checked = None
    if checked is not None:
        kept = frozenset(k for k in held if k in checked)
        return {**checked, **{k: raw[k] for k in kept}}, kept
    # its values do not fit either (or its handles are none of the thread's): judged as written, with
    # the schema's defaults, and refused after the guards (`GuardNode._unfit`), so a call the privacy
    # guard denies tells nothing
    return {**_defaults(spec, raw), **raw}, frozenset(raw)


def _plain_json(value: Any) -> bool:
    """Whether a validated value is plain JSON (text, numbers, lists and dicts of them): a flow swaps
    the handles inside it; inside any other type (a `SecretStr`, a model) it cannot."""
    if isinstance(value, (str, int, float, type(None))):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    return False


def _defaults(spec: ToolSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The schema's defaults of the arguments a call leaves out: what the tool will be given for them."""
    out = {}
    for name, field in spec.args_model.model_fields.items():
        if name not in raw and (field.alias is None or field.alias not in raw) and not field.is_required():
            try:
                out[name] = field.get_default(call_default_factory=True)
            except Exception:  # noqa: BLE001 - a factory that needs the other values: left to the tool
                continue
    return out


def _fails_only_in(spec: ToolSpec, raw: Mapping[str, Any], names: frozenset[str]) -> bool:
    """Whether every error of validating `raw` is in one of the arguments `names` (those holding handles)."""
    try:
        spec.args_model.model_validate(raw)
    except ValidationError as exc:
        return all(e["loc"] and e["loc"][0] in names for e in exc.errors())
    except Exception:  # noqa: BLE001 - a validator of the tool's own raising other than ValueError: not known where
        return False
    return False  # the model takes it: what failed was a check of the values (a number not finite)


def as_asked(spec: ToolSpec | None, written: Any) -> Any:
    """The model's call as a person's edit of it is told apart from: as written and, where the tool's
    schema changes it, as validated, in the JSON a question shows it (the person answers the call as
    shown: an IBAN's groups run together, a URL with its slash)."""
    if spec is None or not isinstance(written, dict):
        return written
    try:
        try:
            shown = spec.dump(spec.validate(written))
        except ArgumentError:  # it fits by the values behind its handles: each other argument shown validated
            shown = spec.dump({k: _field_as_validated(spec.args_model, k, v) for k, v in written.items()})
    except (ArgumentError, ValueError, TypeError, RecursionError):  # shown as written
        return written
    return written if shown == written else [written, shown]


def _field_as_validated(model: type[BaseModel], name: str, value: Any) -> Any:
    """One argument validated by its field's type alone (its own validators too); as written where it does
    not fit (a handle's text), or where the schema has no such field."""
    adapter = _field_adapter(model, name)
    if adapter is None:
        return value
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return value


@functools.lru_cache(maxsize=256)
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any] | None:
    field = model.model_fields.get(name)
    if field is None:
        return None
    return TypeAdapter(typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation)


class ArgumentError(ValueError):
    """A proposal's arguments do not fit the tool's schema; becomes a deny, never a crash."""


class ToolSpec:
    """Name, schema and callable of one tool, plus whether it is an effect and its own guards."""

    __slots__ = ("name", "description", "args_model", "fn", "is_effect", "idempotent", "guards", "meta",
                 "is_async", "source", "takes_written", "_fields")

    def __init__(
        self,
        *,
        name: str,
        description: str,
        args_model: type[BaseModel],
        fn: Callable[..., Any],
        is_effect: bool,
        idempotent: bool = False,
        guards: tuple[Any, ...] = (),
        meta: Mapping[str, Any] | None = None,
        is_async: bool = False,
        source: Any = None,
        takes_written: bool = False,
    ) -> None:
        check_budgets(guards)
        self.name = name
        self.description = description
        self.args_model = args_model
        self.fn = fn
        self.is_effect = is_effect
        self.idempotent = idempotent
        self.guards = guards
        self.meta = dict(meta or {})
        self.is_async = is_async
        self.source = source
        """The object the spec was made from (an Effect, a function or a LangChain tool)."""
        self.takes_written = takes_written
        """The tool validates what it is given by the same schema (a LangChain tool): it is given the
        arguments as written, handles swapped for their values, so a decoding type decodes once."""
        self._fields = tuple(args_model.model_fields)

    @classmethod
    def of(cls, obj: Any) -> ToolSpec:
        """Describe an `Effect`, a plain function (read-only tool) or a LangChain `BaseTool`."""
        if isinstance(obj, ToolSpec):
            return obj
        if isinstance(obj, Effect):
            return cls(
                name=obj.name, description=obj.description, args_model=_model_from_signature(obj.name, obj.__wrapped__),
                fn=obj, is_effect=True, idempotent=obj.idempotent, guards=obj.guards, meta=obj.meta,
                is_async=obj.is_async, source=obj,
            )
        if hasattr(obj, "args_schema") and hasattr(obj, "invoke") and hasattr(obj, "name"):
            return _from_langchain_tool(obj)
        if callable(obj):
            name = getattr(obj, "__name__", None)
            if not name or name == "<lambda>":
                raise ConfigError(f"tool {obj!r} needs a name: use a named function")
            return cls(
                name=name, description=inspect.getdoc(obj) or name, args_model=_model_from_signature(name, obj),
                fn=obj, is_effect=False, guards=tuple(getattr(obj, "__vfa_guards__", ())),
                meta=getattr(obj, "__vfa_meta__", {}), is_async=inspect.iscoroutinefunction(obj), source=obj,
            )
        raise ConfigError(f"cannot use {obj!r} as a tool: give an @effect, a function or a LangChain tool")

    def validate(self, raw: Any) -> dict[str, Any]:
        """Check raw model arguments against the schema; returns the coerced values by name."""
        if not isinstance(raw, Mapping):
            raise ArgumentError(f"arguments of {self.name!r} must be an object, got {type(raw).__name__}")
        try:
            model = self.args_model.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(arguments)'}: {e['msg']}" for e in exc.errors()[:5]
            )
            raise ArgumentError(f"invalid arguments for {self.name!r}: {problems}") from None
        except Exception as exc:  # noqa: BLE001 - a validator of the tool's own that raises other than ValueError
            raise ArgumentError(f"invalid arguments for {self.name!r}: its schema's check failed "
                                f"({error_text(exc)})"[:500]) from None
        args = {f: getattr(model, f) for f in self._fields}
        extra = model.__pydantic_extra__
        if extra:  # a schema that allows more (a JSON schema's `additionalProperties`): judged and given as written
            args.update(extra)
        for name, value in args.items():
            if value.__class__ not in _PLAIN and isinstance(value, Iterator):  # an `Iterable[...]` field validates lazily, once: a guard or a
                # label reading it would leave the tool nothing, so it is read here, as a list
                try:
                    value = args[name] = list(value)
                except ValidationError as exc:
                    raise ArgumentError(f"invalid arguments for {self.name!r}: {name}: {exc.errors()[0]['msg']}") from None
            where = _nonfinite(value, name)
            if where is not None:  # a NaN passes every `>` check a guard makes: no tool is given one
                raise ArgumentError(f"invalid arguments for {self.name!r}: {where}: a number must be finite "
                                    "(not NaN or infinite)")
        return args

    def dump(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """Validated arguments as JSON values holding all the tool can read of them (`json_value`): what a
        guard reads, and what the journal keeps of a call whose written arguments are not known."""
        if all(v.__class__ in _PLAIN for v in args.values()):
            return dict(args)
        return {k: json_value(v) for k, v in args.items()}

    def json_schema(self) -> dict[str, Any]:
        """The tool in the OpenAI function format that `bind_tools` accepts from any chat model."""
        params = self.args_model.model_json_schema()
        params.pop("title", None)
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": params}}

    def __repr__(self) -> str:
        return f"ToolSpec({self.name!r}, effect={self.is_effect})"


def _nonfinite(value: Any, where: str, depth: int = 0, seen: set[int] | None = None) -> str | None:
    """Where a NaN or an infinity lies in a validated argument (a float, a Decimal or a complex, in a
    list, a mapping, a model, a dataclass or any object's attributes), or None."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else where
    if isinstance(value, Decimal):
        return None if value.is_finite() else where
    if isinstance(value, complex):
        return None if cmath.isfinite(value) else where
    if depth > 64 or isinstance(value, (str, bytes, bytearray, int, type)):  # deeper than arguments nest
        return None
    seen = set() if seen is None else seen
    if id(value) in seen:  # shared or cyclic: walked once
        return None
    seen.add(id(value))
    if isinstance(value, Mapping):
        for key in value:  # a key is read by the tool as its values are (pydantic reads "NaN" as a float key)
            if _nonfinite(key, where, depth + 1, seen) is not None:
                return f"{where}[{key!r:.80}]"
        items: Any = value.items()
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = enumerate(value)
    elif isinstance(value, BaseModel):
        items = [*value.__dict__.items(), *(value.__pydantic_extra__ or {}).items()]
    elif dataclasses.is_dataclass(value):  # a slotted one has no __dict__
        items = [(f.name, getattr(value, f.name, None)) for f in dataclasses.fields(value)]
    elif isinstance(getattr(value, "__dict__", None), dict):  # an object of the tool's own type, by its attributes
        items = list(vars(value).items())
    else:
        return None
    for key, item in items:
        found = _nonfinite(item, f"{where}.{key}", depth + 1, seen)
        if found is not None:
            return found
    return None


def _model_from_signature(name: str, fn: Callable[..., Any]) -> type[BaseModel]:
    try:
        hints = typing.get_type_hints(fn, include_extras=True)  # keep Annotated[..., Field(...)] constraints
    except Exception as exc:  # an unresolvable annotation is the developer's to fix, named here
        raise ConfigError(f"cannot read the argument types of tool {name!r}: {exc}") from exc
    fields: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise ConfigError(f"tool {name!r} takes *{p.name}: declare every argument so it can be validated")
        ann = hints.get(p.name, Any)
        fields[p.name] = (ann, ... if p.default is p.empty else p.default)
    # extra="forbid": an argument the tool does not declare is a mistake or an attack, not noise
    return create_model(f"{name}_args", __config__=ConfigDict(extra="forbid"), **fields)


_JSON_TYPES: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "null": type(None)}


def _model_of_json_schema(name: str, schema: Mapping[str, Any]) -> type[BaseModel]:
    """A pydantic model of an object's JSON schema: its properties by type (strings, numbers, booleans,
    arrays of them, objects as mappings; enums as their values), required or with their defaults; what it
    does not say or this reading does not know (`anyOf`, `$ref`, an object's own properties) is any JSON value. More properties are allowed
    unless `additionalProperties` is false, and are judged and given as written (`ToolSpec.validate`)."""
    props = schema.get("properties")
    props = props if isinstance(props, Mapping) else {}
    required = schema.get("required")
    required = set(required) if isinstance(required, list) else set()
    fields: dict[str, Any] = {}
    for key, prop in props.items():
        if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
            continue  # no field can bear it: taken as one more property, as written
        kind = _json_type(f"{name}_{key}", prop if isinstance(prop, Mapping) else {})
        if key in required:
            fields[key] = (kind, ...)
        else:
            fields[key] = (kind | None, prop.get("default") if isinstance(prop, Mapping) else None)
    extra = "forbid" if schema.get("additionalProperties") is False else "allow"
    return create_model(name, __config__=ConfigDict(extra=extra), **fields)


def _json_type(name: str, prop: Mapping[str, Any]) -> Any:
    enum_ = prop.get("enum")
    if isinstance(enum_, list) and enum_ and all(isinstance(v, (str, int, float, bool)) for v in enum_):
        return typing.Literal[tuple(enum_)]
    kind = prop.get("type")
    if isinstance(kind, list):  # ["string", "null"]: any of them
        kinds = [_json_type(name, {**prop, "type": k}) for k in kind if isinstance(k, str)]
        return typing.Union[tuple(kinds)] if kinds else Any
    if kind == "array":
        items = prop.get("items")
        return list[_json_type(f"{name}_item", items if isinstance(items, Mapping) else {})]
    if kind == "object":  # a mapping, as the tool reads it (a model of its own would reach the tool as one)
        return dict[str, Any]
    return _JSON_TYPES.get(kind, Any) if isinstance(kind, str) else Any


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
    if set(full.model_fields) == set(visible.model_fields):
        if not computed:
            return full  # the model writes all of it: judged as the tool reads it, its validators too
        return type(full.__name__, (full,), {"__module__": full.__module__, "_vfa_computed": model_validator(
            mode="before")(classmethod(lambda cls, data: _no_computed(data, computed)))})
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
        unknown = [k for k in data if k not in known] if isinstance(data, Mapping) and not allow else []
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


def _no_computed(data: Any, computed: frozenset[str]) -> Any:
    """`data`, unless it writes a computed field's name (the tool would be given the computed value)."""
    named = [k for k in data if k in computed] if computed and isinstance(data, Mapping) else []
    if named:
        raise ValueError(f"{', '.join(repr(k) for k in named[:5])}: a value the tool's schema computes (the tool "
                         "would read it in place of what is written, which no guard would judge)")
    return data
