"""LangChain tools as tool specs: their arguments as the tool reads them, their runs as a `ToolNode` gives
them (injected arguments, errors its handler words, the message it answers with)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from langchain_core.tools import Tool
from pydantic import BaseModel, ConfigDict, ValidationError, create_model, model_validator

from ._effects import Effect
from ._exceptions import ConfigError, error_text
from ._injected import (answered_runs, answers_with_message, error_content_text, injected_args, injected_names,
                        injected_runs)
from ._json_schema import model_of_json_schema
from ._tools import INJECTED, RESULT_SHAPE, ToolSpec

__all__ = ["GIVEN_BY_DEFAULT", "args_model_of", "errors_raised", "handler_words", "in_handler_words"]


def args_model_of(tool: Any, drop: frozenset[str] = frozenset()) -> type[BaseModel]:
    """The model a LangChain tool's call is validated by; `drop`: names whose values the model wrote are
    left out of the validation (injected arguments the tool is given otherwise, as the `Agent` gives them)."""
    # tool_call_schema is what the model sees: injected arguments (state, config, call id) are not
    # the model's to give, so they are not validated as if they were.
    if isinstance(tool, Tool) and tool.args_schema is None:
        # shown to the model as {"__arg1": text} and handed that one value whatever its key, while its schema is
        # read off `Tool._run` (args, config, kwargs): no call the model writes would fit it
        raise ConfigError(f"tool {tool.name!r} is a single-input LangChain `Tool`, which takes one value under any "
                          "name, so its guards cannot tell which argument they judge: make it a structured tool "
                          "(`@tool` or `StructuredTool.from_function`) whose arguments are named")
    schema = getattr(tool, "tool_call_schema", None) or tool.args_schema
    if isinstance(schema, Mapping):  # a JSON schema (an MCP tool's): its arguments validated as it says
        return model_of_json_schema(tool.name, schema)
    if any(_is_v1_model(s) for s in (schema, getattr(tool, "args_schema", None))):
        # LangChain validates the call by it (its validators, aliases and coercions), which vfa cannot repeat:
        # taken for no schema, the guards would judge the call as written and the tool run on what it made
        raise ConfigError(f"tool {tool.name!r} has a pydantic.v1 model as its args_schema, whose validation vfa "
                          "cannot repeat, so its guards could judge arguments other than those the tool gets: "
                          "declare the schema with pydantic (v2) `BaseModel`")
    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        return create_model(f"{tool.name}_args", __config__=ConfigDict(extra="allow"))
    return _as_the_tool_reads(tool, schema, drop)


def _is_v1_model(schema: Any) -> bool:
    """Whether `schema` is a `pydantic.v1` model class (read by its classes' module: `pydantic.v1` is not imported)."""
    return isinstance(schema, type) and any(
        c.__name__ == "BaseModel" and c.__module__ == "pydantic.v1.main" for c in schema.__mro__)


def _from_langchain_tool(tool: Any) -> ToolSpec:
    # an argument the model is shown is the model's (the guards judge it): LangGraph takes a parameter merely
    # named `runtime` for the runtime, which would give the tool a ToolRuntime where the model wrote a value
    shown = _shown_names(tool)
    injected = {k: kind for k, kind in injected_args(tool).items() if k not in shown}
    # what the model writes under an injected name never reaches the tool (`injected_runs` drops it): nor
    # does it feed the validation the guards judge by (a validator of the tool's own reading the state)
    schema = args_model_of(tool, injected_names(tool, injected))
    inner, meta, guards = _declaring(tool)
    is_effect = isinstance(inner, Effect)
    for fn in (getattr(tool, "func", None), getattr(tool, "coroutine", None)):
        if isinstance(fn, Effect) and fn.name != tool.name:
            # an effect runs only inside the commit of a call of its own name: every call would fail, unrun
            raise ConfigError(f"tool {tool.name!r} runs the effect {fn.name!r} under another name, so the effect "
                              f"would refuse every call of it (it runs only in a commit of {fn.name!r}); name the "
                              f"tool as its effect, or the effect as the tool (`@effect(name={tool.name!r})`)")
    # a tool with only a coroutine cannot be invoked: awaited instead, on the caller's loop (`_run`)
    only_async = getattr(tool, "func", None) is None and getattr(tool, "coroutine", None) is not None
    run, arun = _plain_runs(tool)
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
        guards=guards, meta=meta, source=tool, takes_written=True,
    )


def _declaring(tool: Any) -> tuple[Any, dict[str, Any], tuple[Any, ...]]:
    """The function of `tool` its kind is read from (`@effect`), what its two functions declare
    (`privacy_source`, `privacy_sink`) and the guards of both (`@requires`, `@effect(guards=...)`): its `func`
    and its `coroutine` alike (the one an async run awaits, an MCP tool's only one), neither dropped for the
    other. Raises `ConfigError` when the two declare one thing differently: either may run, so neither can be
    the tool's alone."""
    # a tool that runs no function of its own (a `BaseTool` subclass) carries its declarations itself (`annotate`)
    # and one made of an object's method carries them beside what its class's function declares (`declared_on`)
    fns = [f for f in (getattr(tool, "func", None), getattr(tool, "coroutine", None)) if f is not None]
    own = getattr(tool, "__dict__", {})
    fns = [*fns, tool] if not fns or "__vfa_meta__" in own or "__vfa_guards__" in own else fns
    meta: dict[str, Any] = {}
    by: dict[str, str] = {}  # key -> where it was first declared, for the error naming both places
    for f in fns:
        where = "the tool itself" if f is tool else "its coroutine" if f is getattr(tool, "coroutine", None) \
            else "its function"
        for key, decl in _meta_of(f).items():
            if key in meta and meta[key] != decl:
                if _adds_to(decl, meta[key]):  # stacked on the other (`requires` over the tool): both hold
                    meta[key] = decl
                    continue
                if _adds_to(meta[key], decl):
                    continue
                raise ConfigError(f"tool {tool.name!r}: {by[key]} and {where} declare {key} differently; "
                                  "either may be read, so declare it once, on the tool itself "
                                  "(`privacy_sink(...)(tool)`), or alike on both")
            meta[key] = decl
            by.setdefault(key, where)
    said = [f for f in fns if isinstance(f, Effect) or getattr(f, "guards", None) or getattr(f, "__vfa_guards__", None)]
    # either may run (`invoke` the function, `ainvoke` the coroutine): each call is judged by the guards of both
    guards = {id(g): g for f in fns for g in (getattr(f, "guards", None) or getattr(f, "__vfa_guards__", None) or ())}
    return (said or fns)[0], meta, tuple(guards.values())


def _adds_to(more: Any, less: Any) -> bool:
    """Whether a declaration `more` holds every part of `less` and more (tuples: the preconditions a stacked
    `requires` declares beside those below it)."""
    return (isinstance(more, tuple) and isinstance(less, tuple) and len(more) > len(less)
            and all(any(p is q for q in more) for p in less))


def _meta_of(fn: Any) -> dict[str, Any]:
    return dict(getattr(fn, "meta", None) or getattr(fn, "__vfa_meta__", None) or {})


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

    return error_content_text(_handle_tool_error(exc, flag=flag))


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
    if full is None:
        return _unvalidated(tool, visible, drop)
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


def _unvalidated(tool: Any, visible: type[BaseModel], drop: frozenset[str]) -> type[BaseModel]:
    """The model a call of a tool with no `args_schema` (a `BaseTool` subclass, its schema read off `_run`) is
    validated by: LangChain hands it the call as written, unvalidated, so a key its signature does not name
    (one its `**kwargs` takes) reaches it: refused, as no guard would judge it; injected names are the graph's."""
    known = frozenset(visible.model_fields) | frozenset(injected_args(tool)) | drop

    def as_written(cls: Any, data: Any) -> Any:
        unknown = [k for k in data if k not in known] if isinstance(data, Mapping) else []
        if unknown:
            raise ValueError(f"{', '.join(repr(k) for k in unknown[:5])}: no argument of the tool (its `_run` would "
                             "be given it as written, which no guard would judge)")
        return data

    return type(visible.__name__, (visible,), {"__module__": visible.__module__,
                                               "_vfa_as_written": model_validator(mode="before")(classmethod(as_written))})


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
