"""The guard protocol, the context a guard sees, and guards made from plain functions."""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, overload, runtime_checkable

from ._exceptions import ConfigError
from ._proposal import CommitRecord, Proposal
from ._verdict import Allow, Deny, Escalate, Repair

if TYPE_CHECKING:
    from ._tools import ToolSpec

__all__ = ["FunctionGuard", "Guard", "GuardContext", "guard"]

AnyVerdict = Allow | Deny | Escalate | Repair


@runtime_checkable
class Guard(Protocol):
    """Anything with a `name` and a `check(proposal, context) -> verdict` method.

    Optional members, read with `getattr` so a guard declares only what it needs:

    - `async acheck(proposal, context)`: used instead of `check` by async callers (or alone);
    - `timeout_s: float | None`: this guard's time budget, overriding the chain's default;
    - `inline: bool`: a pure, bounded check run in the caller's thread with no deadline;
    - `tools: frozenset[str] | None`: the tools it applies to (None: every tool);
    - `lint(tools: Mapping[str, ToolSpec]) -> None`: called when an agent is compiled; raises
      `PolicyError` for a policy that can never hold, checks nothing, or names unknown things;
    - `lint_with(guards, tools) -> None`: called instead of `lint`, with the agent's guards, by a check
      that assumes them (an invariant assumes a tool's agent-level preconditions);
    - `warm() -> None` (or `async def warm()`, awaited): called before the guard's first check, outside its
      time budget, to compile or load what it runs (a raise is ignored there: the check meets it, and denies).
    """

    name: str

    def check(self, proposal: Proposal, context: GuardContext) -> AnyVerdict:
        """Judge one proposal; raising or overrunning the time budget counts as a deny, and so does changing
        its arguments in place (the effect is given the same dicts: ask for another call with `Repair`)."""
        ...


class GuardContext:
    """What a guard may look at besides the proposal: graph state, world state and history."""

    __slots__ = ("state", "tool", "thread_id", "journal", "_world", "_load_world", "_history", "_load_history")

    def __init__(
        self,
        *,
        state: Mapping[str, Any] | None = None,
        world: Any = None,
        tool: ToolSpec | None = None,
        thread_id: str = "",
        history: Sequence[CommitRecord] | None = None,
        load_history: Callable[[], Sequence[CommitRecord]] | None = None,
        journal: Any = None,
        load_world: Callable[[], Any] | None = None,
    ) -> None:
        self.state = state if state is not None else {}
        """The LangGraph state the guard node received (messages and any other channels)."""
        self._world = world
        self._load_world = load_world
        self.tool = tool
        """The spec of the proposed tool, or None when the tool is unknown."""
        self.thread_id = thread_id
        self.journal = journal
        """The guard node's `EffectJournal` (read it; only the guard node writes), or None outside one."""
        self._history = history
        self._load_history = load_history

    @property
    def world(self) -> Any:
        """The application's world state (balances, a scene), from the agent's `world` provider: read
        when a guard first asks for it, within that guard's time budget (a provider that raises or
        hangs denies the call, as the guard would), and kept for the proposal's other guards; read before an
        async guard awaited on the caller's loop under `ainvoke`, whether it asks or not, so a sync provider
        never blocks that loop."""
        load = self._load_world
        if load is not None:
            self._world = load()  # a raise leaves it unread: the next guard that asks reads it again
            self._load_world = None
        return self._world

    @property
    def history(self) -> Sequence[CommitRecord]:
        """Effects already committed on this thread, oldest first; read from the journal on first use."""
        if self._history is None:
            self._history = tuple(self._load_history()) if self._load_history else ()
        return self._history


def check_budget(seconds: Any, what: str) -> None:
    """Raise `ConfigError` for a time budget that is neither None nor a number of seconds above zero."""
    # a text would fail at the first call, and NaN, zero or less deny every call as if no worker were free
    if seconds is None:
        return
    if seconds.__class__ is bool or not isinstance(seconds, numbers.Real):  # a numpy number too
        raise ConfigError(f"{what} must be a number of seconds or None, not {type(seconds).__name__} {seconds!r}")
    if math.isnan(seconds) or seconds <= 0:
        raise ConfigError(f"{what} must be above zero seconds (None: no deadline, inline), not {seconds!r}")


def guard_list(guards: Any) -> tuple[Any, ...]:
    """The guards given for a chain or a tool, as a tuple; a `TypeError` (a `ConfigError` for a text) naming what
    is not a list of guards. Found where it is given: at run time each would deny every call, far from the slip
    (a function without `@guard`, a guard's class for an instance, one guard outside its list)."""
    if isinstance(guards, str):  # each letter would be a guard, and every call denied for want of `check`
        raise ConfigError(f"guards must be a list of guards, got the string {guards!r}")
    try:
        items = tuple(guards)
    except TypeError:
        fix = ": put it in a list, [guard]" if _is_guard(guards) else ""
        raise TypeError(f"guards must be a list of guards, not {_guard_label(guards)}{fix}") from None
    for g in items:
        if _is_guard(g):
            continue
        if isinstance(g, type) and _is_guard_class(g):
            fix = f"a guard's class, not a guard: give an instance, {g.__name__}(...)"
        elif callable(g) and not isinstance(g, type):
            fix = "not a guard: decorate the function with @vfa.guard (or wrap it, vfa.guard(fn))"
        else:
            fix = "not a guard: a guard has check(proposal, context) (or acheck)"
        raise TypeError(f"guards: {_guard_label(g)} is {fix}")
    return items


def _is_guard(g: Any) -> bool:
    return not isinstance(g, type) and (callable(getattr(g, "check", None)) or callable(getattr(g, "acheck", None)))


def _is_guard_class(cls: type) -> bool:
    return callable(getattr(cls, "check", None)) or callable(getattr(cls, "acheck", None))


def _guard_label(g: Any) -> str:
    name = getattr(g, "__name__", None)
    if isinstance(name, str) and callable(g) and not isinstance(g, type):
        return f"the {type(g).__name__} {name!r}"
    return f"{g!r:.60}"


def check_budgets(guards: Sequence[Any]) -> None:
    """`check_budget` for each guard that runs on a worker: its `timeout_s` is read at every call; and a `TypeError`
    for an `inline` that is not True or False, as `FunctionGuard` gives (it is read by truth: "no" would run a
    guard class's check with no deadline, a hang not denied)."""
    for g in guards:  # a text there would raise out of the chain's `verify` instead of denying
        inline = getattr(g, "inline", False)
        if inline.__class__ is not bool:
            name = getattr(g, "name", None) or type(g).__name__
            raise TypeError(f"guard {name!r}: inline must be True or False, not {type(inline).__name__} {inline!r:.60}")
        if not inline:
            check_budget(getattr(g, "timeout_s", None), f"guard {getattr(g, 'name', None) or type(g).__name__!r}: timeout_s")


def check_scopes(guards: Sequence[Any], tool: str) -> None:
    """`ConfigError` for a tool's own guard whose `tools` leave that tool out: it is consulted only for the tool it
    is attached to, so it would judge none of its calls, silently (a copied guard, a renamed tool, a default
    scope such as `CollisionGuard`'s "move")."""
    for g in guards:
        tools = getattr(g, "tools", None)
        if tools is not None and (isinstance(tools, str) or tool not in tools):
            name = getattr(g, "name", None) or type(g).__name__
            scope = repr(tools) if isinstance(tools, str) else repr(sorted(map(str, tools)))
            raise ConfigError(f"guard {name!r} is tool {tool!r}'s own, but its tools ({scope}) leave {tool!r} out: "
                              f"it would judge none of its calls; scope it to {tool!r} or leave its tools unset (None)")


class FunctionGuard:
    """A guard whose `check` is a plain function `(proposal, context) -> verdict` (sync or async)."""

    def __init__(
        self,
        fn: Callable[[Proposal, GuardContext], Any],
        *,
        name: str | None = None,
        timeout_s: float | None = None,
        tools: Sequence[str] | None = None,
        inline: bool = False,
    ) -> None:
        if not callable(fn):  # else every call is denied, "'str' object is not callable"
            raise TypeError(f"a guard is made of a function (proposal, context) -> verdict, not {fn!r:.60}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"a guard's name must be text, not {type(name).__name__} {name!r:.60}")
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "guard")
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):  # a builtin or C callable without one: judged when it runs
            signature = None
        if signature is not None:
            try:
                signature.bind(None, None)
            except TypeError:  # else found only when it runs: every call denied with a TypeError
                raise TypeError(f"guard {self.name!r}: its function must take (proposal, context), not "
                                f"{self.name}{signature}") from None
        if inline.__class__ is not bool:  # read by truth: "no" would run it with no deadline, a hang not denied
            raise TypeError(f"guard {self.name!r}: inline must be True or False, not {type(inline).__name__} "
                            f"{inline!r:.60}")
        self.inline = inline
        check_budget(timeout_s, f"guard {self.name!r}: timeout_s")
        self.timeout_s = timeout_s
        if isinstance(tools, str):  # read as names it would be its letters: a guard that judges no call
            raise ConfigError(f"guard {self.name!r}: tools must be a list of tool names, got the string {tools!r}")
        if tools is not None:
            names = tuple(tools) if isinstance(tools, Iterable) else None  # read once: a generator is read as kept
            if names is None or not all(isinstance(t, str) for t in names):
                raise TypeError(f"guard {self.name!r}: tools must be a list of tool names (text), not {tools!r:.60}")
            tools = names
        self.tools = frozenset(tools) if tools is not None else None
        if inspect.iscoroutinefunction(fn):
            self.acheck = fn  # awaited by the chain: on an async caller's loop, else on a loop of its own
        self.is_async = inspect.iscoroutinefunction(fn)

    def check(self, proposal: Proposal, context: GuardContext) -> AnyVerdict:
        """Call the wrapped function."""
        return self.fn(proposal, context)

    def __repr__(self) -> str:
        return f"FunctionGuard({self.name!r})"


@overload
def guard(
    fn: Callable[[Proposal, GuardContext], Any], *, name: str | None = None, timeout_s: float | None = None,
    tools: Sequence[str] | None = None, inline: bool = False,
) -> FunctionGuard: ...
@overload
def guard(
    fn: None = None, *, name: str | None = None, timeout_s: float | None = None,
    tools: Sequence[str] | None = None, inline: bool = False,
) -> Callable[[Callable[[Proposal, GuardContext], Any]], FunctionGuard]: ...
def guard(
    fn: Callable[[Proposal, GuardContext], Any] | None = None,
    *,
    name: str | None = None,
    timeout_s: float | None = None,
    tools: Sequence[str] | None = None,
    inline: bool = False,
) -> FunctionGuard | Callable[[Callable[[Proposal, GuardContext], Any]], FunctionGuard]:
    """Decorator: turn `def check(proposal, context) -> verdict` into a guard.

    Usable bare (`@guard`) or with options (`@guard(tools=["transfer"], timeout_s=0.5)`);
    `inline=True` declares a pure, bounded check that runs without a thread handoff or deadline.
    """
    if fn is not None:
        return FunctionGuard(fn, name=name, timeout_s=timeout_s, tools=tools, inline=inline)
    return lambda f: FunctionGuard(f, name=name, timeout_s=timeout_s, tools=tools, inline=inline)
