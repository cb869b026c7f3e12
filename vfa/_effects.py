"""Effects: tools that change the world, and the commit context without which they refuse to run."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import inspect
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, overload

from ._exceptions import ConfigError, UnmediatedEffectError
from ._guard import guard_list

__all__ = ["Effect", "annotate", "effect", "in_commit"]

_T = TypeVar("_T")

_ACTIVE: contextvars.ContextVar[_Commit | None] = contextvars.ContextVar("vfa_commit", default=None)
_KEY = object()


class _Commit:
    """Proof that a guard node verified this call and is committing it; not constructible outside vfa."""

    __slots__ = ("tool", "call_id", "entered", "closed")

    def __init__(self, key: object, tool: str, call_id: str) -> None:
        if key is not _KEY:
            raise TypeError("a commit is opened by a guard node, not constructed")
        self.tool = tool
        self.call_id = call_id
        self.entered = False
        self.closed = False  # set when the block ends: a context copied during it (a task) holds it on


@contextmanager
def _open_commit(tool: str, call_id: str) -> Iterator[_Commit]:
    """Authorise exactly one call of `tool` for the length of the block (used by the journal only)."""
    commit = _Commit(_KEY, tool, call_id)
    token = _ACTIVE.set(commit)
    # begun, the effect runs to its end whoever stopped waiting for it: the guarded calls it makes (a helper
    # agent) are part of it, not calls of a caller that gave up (`caller_gone`)
    gone = _GONE.set(None)
    try:
        yield commit
    finally:
        commit.closed = True
        _GONE.reset(gone)
        _ACTIVE.reset(token)


_CALLS = concurrent.futures.ThreadPoolExecutor(max_workers=256, thread_name_prefix="vfa-call")
"""Where async callers run a call's blocking half (its checks, its journal): threads of vfa's own. On
the loop's default executor, calls waiting for their effects would hold the threads those effects
need (`asyncio.to_thread`, a sync LangChain tool's `ainvoke`): a few calls at once would hang for good."""


AWAITED: contextvars.ContextVar[bool] = contextvars.ContextVar("vfa_awaited", default=False)
"""True in what `off_loop` runs for an async caller: a guard with `acheck` is judged by it there."""


CALLER_LOOP: contextvars.ContextVar[asyncio.AbstractEventLoop | None] = contextvars.ContextVar(
    "vfa_caller_loop", default=None)
"""The event loop of the async caller `off_loop` runs for, free while it awaits: an async guard is awaited there,
so it may use what the app made on that loop (a client, a pool, a semaphore). None on the loop itself (in what
`on_loop` awaits), where a blocking call would wait on the very loop it holds."""


_WAITED_ON: contextvars.ContextVar[bool] = contextvars.ContextVar("vfa_waited_on", default=False)
"""True in an effect `on_loop` runs for a thread that waits for it (and in what the effect awaits)."""


_GONE: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar("vfa_caller_gone", default=None)
"""Set in what `off_loop` runs once its awaiting task is cancelled: the thread goes on, its caller is gone."""


def caller_gone() -> bool:
    """True in what `off_loop` runs for a task since cancelled: an effect not yet begun must not begin (no
    one waits for it, and LangGraph will not save its step)."""
    gone = _GONE.get()
    return gone is not None and gone.is_set()


async def off_loop(fn: Callable[..., Any], *args: Any) -> Any:
    """`await asyncio.to_thread(fn, *args)`, on vfa's own threads (`_CALLS`), with `AWAITED` set; made
    inside an effect a thread waits for (a guarded helper agent a tool awaits), on a thread of its own:
    every `_CALLS` thread may be waiting for such an effect, and none would be left for it."""
    loop = asyncio.get_running_loop()
    ctx = contextvars.copy_context()
    ctx.run(AWAITED.set, True)
    ctx.run(CALLER_LOOP.set, loop)
    gone = threading.Event()
    ctx.run(_GONE.set, gone)
    call = functools.partial(ctx.run, fn, *args)
    own = None if not _WAITED_ON.get() else concurrent.futures.ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="vfa-nested-call")
    try:
        return await loop.run_in_executor(_CALLS if own is None else own, call)
    except asyncio.CancelledError:
        gone.set()  # the thread cannot be stopped, but it begins no effect for a caller that gave up
        raise
    finally:
        if own is not None:
            own.shutdown(wait=False)


def on_loop(awaitable: Any, loop: asyncio.AbstractEventLoop,
            started: Callable[[concurrent.futures.Future[Any]], None] | None = None,
            given_up: Callable[[], bool] | None = None) -> Any:
    """Await an effect (or an async guard's check, a saver's erasure) on `loop` from another thread and return
    its result; `started` is handed the future, to cancel it; `given_up`, looked at as the loop's closing is,
    cancels it once true (a check whose caller is gone and whose loop stopped). One cut off there (its loop shut
    down, its task cancelled) raises `asyncio.CancelledError`, which is no `Exception`: an effect may have
    happened, so the journal must read it as a run cut off, never as the effect's failure."""

    async def awaited() -> Any:
        _WAITED_ON.set(True)  # in this task's own context: what the effect awaits knows a thread waits for it
        CALLER_LOOP.set(None)  # a sync call made here blocks this very loop: nothing may be sent to it
        return await awaitable

    coro = awaited()
    try:
        future = asyncio.run_coroutine_threadsafe(coro, loop)
    except RuntimeError:
        if not loop.is_closed():
            raise
        # the caller's loop is gone (its `asyncio.run` ended): a run cut off, never the tool's own failure
        coro.close()
        if inspect.iscoroutine(awaitable):
            awaitable.close()  # never started: nothing ran, and no "never awaited" warning
        raise asyncio.CancelledError("the call was cut off: its event loop was closed before it began") from None
    if started is not None:
        started(future)
    try:
        while True:
            try:
                return future.result(timeout=_LOOP_POLL_S)
            except concurrent.futures.TimeoutError:
                if future.done():  # the awaitable's own `TimeoutError` (the builtin, as the poll's is), or an end
                    return future.result()  # just after the poll's: its own outcome, never the poll's timeout
                # a loop closed with the effect's task pending (`loop.close()` cancels nothing, unlike `asyncio.run`)
                # never completes it: waited on for ever, the call held its thread's lock and the process at exit
                if loop.is_closed() and not future.done():
                    raise asyncio.CancelledError("the call was cut off: its event loop was closed before it "
                                                 "ended") from None
                if given_up is not None and given_up() and future.cancel():
                    raise asyncio.CancelledError("the call was cut off: no one waits for it on its event loop, "
                                                 "which has stopped") from None
    except concurrent.futures.CancelledError as exc:  # an Exception, unlike asyncio's: it would be recorded as a failure
        why = str(exc) or "its task was cancelled (the loop stopped, or its caller gave up)"
        raise asyncio.CancelledError(f"the call was cut off on its event loop: {why}") from exc


_LOOP_POLL_S = 0.25
"""How often a thread waiting for an effect on an event loop (`on_loop`) looks whether that loop was closed."""


def in_commit(tool: str | None = None) -> bool:
    """True inside a guard node's commit that is still open.

    Of `tool` when given (what a tool that checks for itself should ask, so that another tool's commit
    cannot run it), else of any effect."""
    commit = _ACTIVE.get()
    return commit is not None and not commit.closed and (tool is None or commit.tool == tool)


def annotate(fn: _T, *, guards: Sequence[Any] = (), **meta: Any) -> _T:
    """Attach tool-level guards and metadata to a tool function or effect; returns it unchanged.

    Guard libraries use this (`@requires(...)` adds a precondition guard), in either decorator order.
    """
    guards = guard_list(guards)  # a slip is said here, not as a denial of every call
    inner = declared_on(fn)
    if inner[0] is not fn:  # a LangChain tool, a static or class method: declared on each function it runs
        for f in inner:
            annotate(f, guards=guards, **meta)
        return fn
    target = fn.__wrapped__ if isinstance(fn, Effect) else fn
    if inspect.ismethod(target) and not isinstance(target.__self__, type):
        # a bound method has no attributes of its own: written on its class's function, the declaration would be
        # every instance's (a dry-run outbox's `internal` sink the real outbox's too)
        raise ConfigError(f"cannot declare {target.__qualname__!r} of one object ({type(target.__self__).__name__} "
                          "instance): it would be written on its class's function, which every instance's tool runs. "
                          "Declare the method where its class defines it (for every instance), or give the tool a "
                          "function of its own that calls this object's method")
    if inspect.ismethod(target) and isinstance(target.__self__, type) and not any(
            isinstance(v, classmethod) and v.__func__ is target.__func__ for v in vars(target.__self__).values()):
        # a classmethod a subclass inherits: its function is the class's that defines it, and its other subclasses'
        raise ConfigError(f"cannot declare {target.__qualname__!r} through {target.__self__.__name__}, which inherits "
                          "it: it would be written on the function of the class that defines it, which that class "
                          "and all its subclasses run. Declare it where it is defined, or give the tool a function "
                          "of its own")
    if not hasattr(target, "__dict__"):  # a value (a number, a text) that can carry no declaration
        raise TypeError(f"cannot annotate {target!r}: give the tool's function or an @effect")
    # new objects, never added to in place: `functools.wraps` gives a wrapper the very list and dict of the
    # function it wraps, so a declaration of one (a note tool made of `send_email`) would be the other's too
    own = target.__dict__
    own["__vfa_guards__"] = [*own.get("__vfa_guards__", ()), *guards]
    own["__vfa_meta__"] = {**own.get("__vfa_meta__", {}), **meta}
    if isinstance(fn, Effect):
        fn.guards = tuple(target.__vfa_guards__)
        fn.meta = dict(target.__vfa_meta__)
    return fn


def declared_on(fn: Any) -> list[Any]:
    """What a declaration on `fn` is made on: a LangChain tool's function and coroutine (the code it runs, where
    its spec reads what it declares: on the tool object, a `@tool`'s guard would be read by no one, the call let
    through unjudged), so a declaration holds for every tool made of that code; else `fn` itself (a tool that
    runs no function of its own, a `BaseTool` subclass, carries it itself). What was declared before is read
    there too (`requires` and `ensures` add to it). Over `@staticmethod` or `@classmethod`, the function the
    class hands out: the wrapper object has a `__dict__` of its own (Python 3.10), where no tool would read it."""
    if isinstance(fn, (staticmethod, classmethod)):
        return [fn.__func__]
    inner = [f for f in (getattr(fn, "func", None), getattr(fn, "coroutine", None)) if f is not None]
    if not (inner and hasattr(fn, "args_schema") and hasattr(fn, "invoke")):
        return [fn]
    if any(inspect.ismethod(f) and not isinstance(f.__self__, type) for f in inner):
        # one object's method (`from_function(outbox.send)`): its function is every instance's, so the tool
        # carries the declaration itself
        return [fn]
    return inner


class Effect:
    """A tool whose call changes the world; it runs only inside a guard node's commit.

    Calling it directly raises `UnmediatedEffectError`: the only way to run it is to propose it
    through an agent (or `GuardNode`), which verifies it and commits it once through the journal.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        idempotent: bool = False,
    ) -> None:
        if isinstance(fn, staticmethod):  # its declarations are its function's (`annotate`)
            fn = fn.__func__
        if not callable(fn):
            raise TypeError(f"an effect is made of a function, not {fn!r}")
        if isinstance(fn, Effect):  # its own check would refuse to run inside this one's commit: every call fails
            raise ConfigError(f"{fn!r} is already an effect: give all its options in one @effect(...)")
        if idempotent.__class__ is not bool:  # read by truth: "no" would re-run a crashed commit without asking
            raise TypeError(f"an effect's idempotent must be True or False, not {type(idempotent).__name__} "
                            f"{idempotent!r:.60}")
        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            raise ConfigError(f"effect {getattr(fn, '__name__', fn)!r} is a generator function: its body would run "
                              "when its caller iterates it, after the commit; return the whole result instead")
        if name is not None and not isinstance(name, str):  # the journal and the model know a tool by its name
            raise TypeError(f"an effect's name must be text, not {type(name).__name__} {name!r:.60}")
        self.__wrapped__ = fn
        self.name = name or getattr(fn, "__name__", type(fn).__name__)
        self.description = description or inspect.getdoc(fn) or self.name
        self.idempotent = idempotent
        """True if running it twice is the same as once, so a crash mid-commit may simply re-run it."""
        self.guards: tuple[Any, ...] = tuple(getattr(fn, "__vfa_guards__", ()))
        self.meta: dict[str, Any] = dict(getattr(fn, "__vfa_meta__", {}))
        self.is_async = inspect.iscoroutinefunction(fn)
        functools.update_wrapper(self, fn, updated=())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        commit = _ACTIVE.get()
        if commit is None or commit.tool != self.name or commit.entered or commit.closed:
            where = ("outside any commit" if commit is None else "after its commit ended" if commit.closed
                     else f"inside the commit of {commit.tool!r}")
            raise UnmediatedEffectError(
                f"effect {self.name!r} was called directly ({where}); effects run only when a guard "
                f"node commits them: give the tool to an Agent or GuardNode and let the model propose it, or, in a "
                f"graph of your own, guard it with graphs.guard_graph (a ToolNode, or effect_nodes=[...])"
            )
        commit.entered = True  # one commit authorises one call: an effect cannot re-enter itself
        return self.__wrapped__(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Effect({self.name!r})"


@overload
def effect(
    fn: Callable[..., Any], *, name: str | None = None, description: str | None = None, idempotent: bool = False,
    guards: Sequence[Any] = (),
) -> Effect: ...
@overload
def effect(
    fn: None = None, *, name: str | None = None, description: str | None = None, idempotent: bool = False,
    guards: Sequence[Any] = (),
) -> Callable[[Callable[..., Any]], Effect]: ...
def effect(
    fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    idempotent: bool = False,
    guards: Sequence[Any] = (),
) -> Effect | Callable[[Callable[..., Any]], Effect]:
    """Decorator: declare a tool as an effect, so it runs only when a guard node commits it.

    Args:
        name: the tool name the model sees (default: the function name).
        description: what the model is told (default: the docstring).
        idempotent: running it twice equals running it once; a commit interrupted by a crash is
            then re-run on resume instead of being escalated to a person.
        guards: guards that apply to this tool only, run after the agent's own guards.
    """

    def wrap(f: Callable[..., Any]) -> Effect:
        if guards:
            annotate(f, guards=guards)
        return Effect(f, name=name, description=description, idempotent=idempotent)

    return wrap(fn) if fn is not None else wrap
