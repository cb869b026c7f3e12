"""Tool specs: one description of any tool an agent may propose (an effect or a read-only tool)."""

from __future__ import annotations

import cmath
import dataclasses
import enum
import functools
import inspect
import math
import types
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
)
from pydantic_core import to_jsonable_python

from ._effects import Effect
from ._exceptions import ConfigError, error_text
from ._guard import check_budgets, check_scopes

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
        spec.args_model.model_validate(_fresh(raw))
    except ValidationError as exc:
        return all(_in(e, names) for e in exc.errors())
    except Exception:  # noqa: BLE001 - a validator of the tool's own raising other than ValueError: not known where
        return False
    return False  # the model takes it: what failed was a check of the values (a number not finite)


def _in(error: Any, names: frozenset[str]) -> bool:
    """Whether a validation error is in one of the arguments `names`: where pydantic places it or, for a check
    of the whole call (a JSON schema's keywords at its top: `allOf`, `if`/`then`), where it says it is."""
    if error["loc"]:
        return error["loc"][0] in names
    arguments = getattr((error.get("ctx") or {}).get("error"), "arguments", None)
    return bool(arguments) and arguments <= names


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


MAX_TOOL_NAME = 128
"""The longest tool name: a call naming a longer one is shown by its repr (`GuardNode.handle`), as no tool's."""


def check_tool_name(name: Any) -> None:
    """A `ConfigError` for a tool name no call could name: no text, empty, over `MAX_TOOL_NAME` characters,
    or holding a NUL or a lone surrogate (a call naming it is shown by its repr, and its arguments' model
    cannot be built). Said where the tool is declared, not as "unknown tool" at every call."""
    if not isinstance(name, str) or not name:
        raise ConfigError(f"a tool's name must be non-empty text, not {type(name).__name__} {name!r:.60}")
    if len(name) > MAX_TOOL_NAME:
        raise ConfigError(f"tool name {name[:40]!r}... is {len(name)} characters, over {MAX_TOOL_NAME}: no call could "
                          "name it; give it a shorter name")
    if "\0" in name or not _utf8(name):
        raise ConfigError(f"tool name {name!r:.80} holds a NUL or a lone surrogate: no call could name it; give it "
                          "a name of plain text")


def name_list(names: Any, what: str) -> tuple[str, ...]:
    """The names given as a list, as a tuple; a `ConfigError` naming `what` for a text (read as its letters,
    the tool or node it names would be missed) and for anything but a list of non-empty texts."""
    if isinstance(names, str):
        raise ConfigError(f"{what} must be a list of names, got the string {names!r:.80}: write [{names!r:.80}]")
    try:
        items = tuple(names)
    except TypeError:
        raise ConfigError(f"{what} must be a list of names, not {type(names).__name__} {names!r:.60}") from None
    for name in items:
        if not isinstance(name, str) or not name:
            raise ConfigError(f"{what} must be a list of names (non-empty texts), but holds "
                              f"{type(name).__name__} {name!r:.60}")
    return items


def _utf8(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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
        check_tool_name(name)
        check_scopes(guards, name)
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
        """The tool validates what it is given by the same schema (a LangChain tool, a `validate_call`
        function): it is given the arguments as written, handles swapped for their values, so a decoding
        type decodes once."""
        self._fields = tuple(args_model.model_fields)

    @classmethod
    def of(cls, obj: Any) -> ToolSpec:
        """Describe an `Effect`, a plain function (read-only tool) or a LangChain `BaseTool`."""
        if isinstance(obj, ToolSpec):
            return obj
        if isinstance(obj, staticmethod):  # as its class hands it out; what is declared over it is its function's
            obj = obj.__func__
        bound = _wrapped_tool(obj)
        if bound is not None:
            # `tool.with_config(...)`, `.with_retry()`, `.with_listeners(...)`, `.with_fallbacks(...)`: a runnable
            # around the tool, whose name reads None; the guard node runs the tool itself, so the wrapper's settings
            # would be dropped
            raise ConfigError(f"tool {bound.name!r} is given wrapped ({type(obj).__name__}, from with_config, with_retry, "
                              "with_listeners or with_fallbacks): give the tool itself; the guard node runs it, and "
                              "the wrapper's settings would not apply")
        if isinstance(obj, Effect):
            check_tool_name(obj.name)  # before its arguments' model is built, which would fail naming nothing
            return cls(
                name=obj.name, description=obj.description, args_model=_model_from_signature(obj.name, obj.__wrapped__),
                fn=obj, is_effect=True, idempotent=obj.idempotent, guards=obj.guards, meta=obj.meta,
                is_async=obj.is_async, source=obj, takes_written=_validates_its_call(obj.__wrapped__),
            )
        if _is_langchain_tool(obj):
            from ._lc_tools import _from_langchain_tool  # (imports ToolSpec)

            check_tool_name(obj.name)

            return _from_langchain_tool(obj)
        if callable(obj):
            name = getattr(obj, "__name__", None)
            if not name or name == "<lambda>":
                raise ConfigError(f"tool {obj!r} needs a name: use a named function")
            return cls(
                name=name, description=inspect.getdoc(obj) or name, args_model=_model_from_signature(name, obj),
                fn=obj, is_effect=False, guards=tuple(getattr(obj, "__vfa_guards__", ())),
                meta=getattr(obj, "__vfa_meta__", {}), is_async=inspect.iscoroutinefunction(obj), source=obj,
                takes_written=_validates_its_call(obj),
            )
        raise ConfigError(f"cannot use {obj!r} as a tool: give an @effect, a function or a LangChain tool")

    def validate(self, raw: Any) -> dict[str, Any]:
        """Check raw model arguments against the schema; returns the coerced values by name."""
        if not isinstance(raw, Mapping):
            raise ArgumentError(f"arguments of {self.name!r} must be an object, got {type(raw).__name__}")
        unnamed = [k for k in raw if not isinstance(k, str)]
        if unnamed:  # a schema allowing extra arguments would let it through, to a record that cannot hold it
            raise ArgumentError(f"invalid arguments for {self.name!r}: an argument's name must be text, not "
                                f"{type(unnamed[0]).__name__}")
        try:
            model = self.args_model.model_validate(_fresh(raw))
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
        """The tool in the OpenAI function format that `bind_tools` accepts from any chat model: a JSON schema the
        tool was given (an MCP tool's) as given, else its arguments' model's."""
        given = getattr(self.source, "args_schema", None) if _is_langchain_tool(self.source) else None
        if isinstance(given, Mapping):
            # never the model vfa reads it into: its schema would drop the descriptions, formats and `$defs`, and
            # the properties no field can bear ("zip-code", required or not), which vfa checks beside the fields
            params = dict(given)
        else:
            params = self.args_model.model_json_schema()
            params.pop("title", None)
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": params}}

    def __repr__(self) -> str:
        return f"ToolSpec({self.name!r}, effect={self.is_effect})"


def tool_list(tools: Any) -> tuple[Any, ...]:
    """An agent's or guard node's tools as a tuple (read once: a generator too); a `TypeError` naming `tools`
    for what is no list of them (one tool outside its list, a tool's name, None), which would fail as Python's
    "object is not iterable", or as its first letter for a name."""
    if isinstance(tools, (str, bytes)):
        raise TypeError(f"tools must be a list of tools (@effect, functions, LangChain tools), not the text {tools!r:.60}")
    if isinstance(tools, Mapping):  # iterated, its keys: each name taken for a tool
        raise TypeError(f"tools must be a list of tools, not a {type(tools).__name__} of them by name: pass its "
                        "values, list(tools.values()) (each tool's name is its own)")
    if _is_langchain_tool(tools):  # a pydantic model: iterable, as its fields
        raise TypeError(f"tools must be a list of tools, not one LangChain tool {tools.name!r}: put it in a list, [tool]")
    try:
        return tuple(tools)
    except TypeError:
        fix = ": put it in a list, [tool]" if callable(tools) or isinstance(tools, ToolSpec) else ""
        raise TypeError(f"tools must be a list of tools (@effect, functions, LangChain tools), not "
                        f"{type(tools).__name__} {tools!r:.60}{fix}") from None


def _validates_its_call(fn: Any) -> bool:
    """Whether a function validates its arguments itself (pydantic's `validate_call`, under any decorators
    that keep `__wrapped__`): given the values vfa's validation made, it would validate them again, and a
    validator that changes its value (dollars read as cents, a `Json[...]` decoded) would change it twice."""
    for _ in range(16):
        raw = getattr(fn, "raw_function", None)
        if raw is not None and getattr(fn, "__wrapped__", None) is raw:
            return True
        fn = getattr(fn, "__wrapped__", None)
        if fn is None:
            return False
    return False


def _is_langchain_tool(obj: Any) -> bool:
    return hasattr(obj, "args_schema") and hasattr(obj, "invoke") and hasattr(obj, "name")


def _wrapped_tool(obj: Any) -> Any:
    """The LangChain tool a runnable wraps (a binding's `bound`, a fallbacks' `runnable`, each wrapper in
    turn: `.with_retry().with_config(...)`), or None for an object that wraps none. Read from the wrapper's
    own fields (a `RunnableWithFallbacks` hands on any attribute it lacks to its runnable); a tool, which holds
    its `args_schema` itself, is no wrapper, whatever fields of its own it has."""
    for _ in range(8):
        own = getattr(obj, "__dict__", {})
        if "args_schema" in own:
            return None  # a tool itself
        obj = own.get("bound", own.get("runnable"))
        if obj is None:
            return None
        inner = getattr(obj, "__dict__", {})
        if "args_schema" in inner or not ("bound" in inner or "runnable" in inner):
            return obj if _is_langchain_tool(obj) else None
    return None


def _fresh(value: Any, depth: int = 0) -> Any:
    """`value` with the dicts and lists it is made of copied: a validator of the tool's own is handed the copy and
    may rewrite it in place (`data["amount"] *= 100`) while the call as written (journaled, shown, and handed to a
    tool that validates it itself) stays as the model wrote it; validated twice, it would be rewritten twice."""
    if depth > MAX_ARG_DEPTH:  # deeper than arguments nest (refused before): as it is
        return value
    if value.__class__ is dict:
        return {k: _fresh(v, depth + 1) for k, v in value.items()}
    if value.__class__ is list:
        return [_fresh(v, depth + 1) for v in value]
    return value


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


_INJECTED_MARKS = frozenset({"InjectedToolArg", "_DirectlyInjectedToolArg"})
"""LangChain's and LangGraph's marks of an argument a ToolNode injects (`InjectedToolCallId`, `InjectedState`,
`InjectedStore`, `ToolRuntime` ...), matched by name: the kernel does not import LangChain to read a signature."""


def _injected_hint(hint: Any, depth: int = 0) -> bool:
    """Whether an annotation marks its argument as one a ToolNode injects, anywhere in an `Annotated`, a
    union or a generic (`ToolRuntime[Context]`), as a class or an instance."""
    if depth > 8:
        return False
    cls = hint if isinstance(hint, type) else type(hint)
    if any(c.__name__ in _INJECTED_MARKS for c in getattr(cls, "__mro__", ())):
        return True
    origin = typing.get_origin(hint)
    return origin is not None and any(_injected_hint(p, depth + 1) for p in (origin, *typing.get_args(hint)))


def type_hints(fn: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A function's type hints (`Annotated` kept), each read on its own: those that resolve, and for each
    that does not (a name imported under `TYPE_CHECKING` only), why.

    `typing.get_type_hints` fails whole on one name it cannot find: a return type imported for the type
    checker alone would hide every argument's type."""
    try:
        return typing.get_type_hints(fn, include_extras=True), {}
    except Exception as exc:  # noqa: BLE001 - read one at a time below, to tell which fails
        whole = exc
    annotations = getattr(fn, "__annotations__", None)
    where = getattr(inspect.unwrap(fn), "__globals__", None)  # where get_type_hints looks names up
    if not isinstance(annotations, dict) or not isinstance(where, dict):
        return {}, {"": error_text(whole)}
    hints: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for key, annotation in annotations.items():
        one = types.FunctionType(_EMPTY_CODE, where)
        one.__annotations__ = {key: annotation}
        try:
            hints.update(typing.get_type_hints(one, include_extras=True))
        except Exception as exc:  # noqa: BLE001 - the developer's to fix, named by the caller
            failed[key] = error_text(exc)
    return hints, failed


_EMPTY_CODE = (lambda: None).__code__


def _model_from_signature(name: str, fn: Callable[..., Any]) -> type[BaseModel]:
    # the return type is not read here: one imported for the type checker alone does not refuse the tool
    hints, failed = type_hints(fn)
    for key, why in failed.items():
        if key != "return":  # an unresolvable annotation is the developer's to fix, named here
            what = f"argument {key!r}" if key else "arguments"
            raise ConfigError(f"cannot read the type of tool {name!r}'s {what}: {why} (a type imported under "
                              "TYPE_CHECKING only cannot be read at run time: import it for real)")
    fields: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise ConfigError(f"tool {name!r} takes *{p.name}: declare every argument so it can be validated")
        if p.kind is p.POSITIONAL_ONLY:  # the node passes every argument by name: each call would fail in its commit
            raise ConfigError(f"tool {name!r} takes {p.name!r} as a positional-only argument, but a call's arguments "
                              "are passed by name: drop the '/' from its signature")
        if p.name.startswith("_") or p.name == "model_config":
            # no field of a pydantic model: left out of the schema, the model cannot write it
            if p.default is p.empty:  # and nothing else gives it: each call would fail in its commit
                raise ConfigError(f"tool {name!r} takes {p.name!r}, a name no argument of its schema can have (a "
                                  "leading underscore, or pydantic's model_config), without a default: rename it")
            continue
        if isinstance(inspect.getattr_static(BaseModel, p.name, None), property):
            # `model_extra`, `model_fields_set`: pydantic builds the field (it only warns), but reading it back gives
            # its own property, so the guards and the tool would get that, not what the model wrote
            raise ConfigError(f"tool {name!r} takes {p.name!r}, a name pydantic's models read as their own "
                              "property, not the argument: rename it")
        ann = hints.get(p.name, Any)
        if _injected_hint(ann):
            # a plain function's arguments are all the model's: it would write the call's id (an effect's
            # idempotency key), the state or the store the function takes for the graph's own
            raise ConfigError(f"tool {name!r} takes {p.name!r} as an argument a ToolNode injects (the call's id, "
                              "the state, the store or a runtime), which a plain function's arguments are not: the "
                              "model would write it. Make the tool a LangChain tool (`@tool` over `@effect`), "
                              "which is given it, or drop the argument")
        fields[p.name] = (ann, ... if p.default is p.empty else p.default)
    # extra="forbid": an argument the tool does not declare is a mistake or an attack, not noise
    try:
        return create_model(f"{name}_args", __config__=ConfigDict(extra="forbid"), **fields)
    except (ValueError, NameError) as exc:  # a name pydantic keeps for its own members (`model_dump`)
        raise ConfigError(f"tool {name!r}'s arguments cannot be read into a schema: {error_text(exc)}; rename "
                          "the argument") from None

