"""The decorators' annotations say what they return, so a type checker keeps a decorated tool's type.

`@effect`, `@guard`, `vfa.annotate`, `@requires`, `@ensures`, `Policy.requires/ensures` and
`@privacy_source/@privacy_sink` were annotated `-> Any` (or `Callable[[Any], Any]`): under mypy --strict every
decorated tool of the README and examples was `Any` ("Untyped decorator makes function untyped"), and a typo in
its use went unseen. Each returns its argument (declared: a TypeVar in and out) or an `Effect`/`FunctionGuard`;
the retrofit functions return a compiled graph and a `ToolNode`, not `Any`."""

import typing

from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from pydantic import BaseModel

import graphs
import guards
import vfa


def _ret(fn: object) -> object:
    return typing.get_type_hints(fn)["return"]


def _returns_its_argument(fn: object) -> bool:
    """`(fn: T) -> T`, or for a decorator usable bare or called, `(fn: T | None) -> T | Callable[[T], T]`."""
    hints = typing.get_type_hints(fn)
    given, ret = hints["fn"], hints["return"]
    if isinstance(ret, typing.TypeVar):
        return given is ret
    tvar, factory = typing.get_args(ret)
    return (isinstance(tvar, typing.TypeVar) and set(typing.get_args(given)) == {tvar, type(None)}
            and _is_identity_decorator(factory) and typing.get_args(factory)[1] is tvar)


def _is_identity_decorator(hint: object) -> bool:
    """`Callable[[T], T]`: a decorator that returns what it is given."""
    args = typing.get_args(hint)
    return (len(args) == 2 and len(args[0]) == 1 and isinstance(args[1], typing.TypeVar)
            and args[0][0] is args[1])


def tool(x: int) -> str:
    return str(x)


class State(BaseModel):
    limit: int = 0


def test_effect_and_guard_say_what_they_make() -> None:
    effect_ret = typing.get_args(_ret(vfa.effect))
    assert vfa.Effect in effect_ret and typing.Any not in effect_ret
    assert [typing.get_args(a)[1] for a in effect_ret if a is not vfa.Effect] == [vfa.Effect]  # the factory's
    assert isinstance(vfa.effect(tool), vfa.Effect) and isinstance(vfa.effect(name="t")(tool), vfa.Effect)
    guard_ret = typing.get_args(_ret(vfa.guard))
    assert vfa.FunctionGuard in guard_ret and typing.Any not in guard_ret
    assert [typing.get_args(a)[1] for a in guard_ret if a is not vfa.FunctionGuard] == [vfa.FunctionGuard]

    def check(p: vfa.Proposal, c: vfa.GuardContext) -> vfa.Allow:
        return vfa.ALLOW

    assert isinstance(vfa.guard(check), vfa.FunctionGuard)
    assert isinstance(vfa.guard(inline=True)(check), vfa.FunctionGuard)


def test_declaring_decorators_return_the_tool_they_are_given() -> None:
    for fn in (vfa.annotate, guards.privacy_source, guards.privacy_sink):
        assert _returns_its_argument(fn), fn.__name__
    for fn in (guards.requires, guards.ensures, guards.Policy.requires, guards.Policy.ensures):
        assert _is_identity_decorator(_ret(fn)), fn.__qualname__

    def f(limit: int) -> str:
        return "ok"

    assert vfa.annotate(f) is f
    assert guards.privacy_source(f) is f and guards.privacy_sink()(f) is f
    assert guards.requires("limit >= 0")(f) is f
    policy = guards.Policy(State)
    assert policy.requires("limit <= state.limit")(f) is f


def test_retrofit_functions_say_what_they_return() -> None:
    assert typing.get_origin(_ret(graphs.guard_graph)) is CompiledStateGraph
    assert _ret(graphs.guard_tool_node) is ToolNode
