"""The guard chain: every guard judges a proposal in order; errors and time-outs deny (fail closed)."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextvars
import dataclasses
import functools
import hashlib
import inspect
import queue
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from ._effects import AWAITED, CALLER_LOOP, caller_gone, off_loop, on_loop
from ._exceptions import message_of
from ._guard import GuardContext, check_budget, check_budgets, guard_list
from ._journal import _is_bubble_up, _members_or_repr, dumps  # interrupts pass through guards untouched
from ._jsontext import json_text
from ._proposal import Proposal
from ._verdict import ALLOW, Allow, Decision, Deny, Escalate, Repair, severity

__all__ = ["ChainResult", "GuardChain"]

AnyVerdict = Allow | Deny | Escalate | Repair
_VERDICT_TYPES = (Allow, Deny, Escalate, Repair)
_VERDICT_CLASSES = frozenset(_VERDICT_TYPES)

# Guards run on these workers so that a hung guard can be abandoned: its thread cannot be killed,
# but the proposal is denied at the deadline. If every worker is stuck, later checks queue, time out
# and deny too, which is the fail-closed outcome.


class _DaemonPool:
    """`ThreadPoolExecutor.submit` on daemon threads, up to `max_workers`, each started when no idle one is left:
    Python joins an executor's workers at exit, so a check abandoned at its deadline (a guard or a world provider
    that never answers) held the process at its end for as long as it hung."""

    def __init__(self, max_workers: int, prefix: str) -> None:
        self._work: queue.SimpleQueue[_Queued] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)  # released by a worker each time it is done with an item
        self._lock = threading.Lock()
        self._started = 0
        self._max = max_workers
        self._prefix = prefix

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> concurrent.futures.Future[Any]:
        future = _Queued(fn, args)
        if not self._idle.acquire(blocking=False):
            with self._lock:
                if self._started < self._max:
                    # counted once started, the item queued after: a start the system refuses (its thread limit,
                    # for a moment) raises here (the chain denies the call) with no place taken for good, nothing
                    # queued for a caller told it failed, and the idle places exact (a worker releases one per item)
                    threading.Thread(target=self._serve, name=f"{self._prefix}_{self._started}", daemon=True).start()
                    self._started += 1
        self._work.put(future)
        return future

    def _serve(self) -> None:
        while True:
            future = self._work.get()
            if future.set_running_or_notify_cancel():  # else cancelled while queued (`_within`, `_run_isolated`)
                fn, args = future.work
                future.work = None
                try:
                    result = fn(*args)
                except BaseException as exc:  # noqa: BLE001 - the caller's to see, as an executor's work item
                    future.set_exception(exc)
                else:
                    future.set_result(result)
                del fn, args
            del future  # the last item's objects are not kept alive by an idle worker
            self._idle.release()


class _Queued(concurrent.futures.Future):  # type: ignore[type-arg]
    """A pool's item: its future, holding what to run until a worker takes it or it is cancelled. A check given up
    while it waits for a worker (its call denied at its deadline, every worker busy: hung guards) lets go of what
    it was handed at once: kept until a worker took it, each call's proposal and context (its state, its world)
    stayed for as long as the workers hung, for good in a true hang (the item itself, emptied, stays queued)."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.work: tuple[Callable[..., Any], tuple[Any, ...]] | None = (fn, args)

    def cancel(self) -> bool:
        """Cancel the item if no worker took it, letting go of what it would have run."""
        if not super().cancel():
            return False
        self.work = None
        return True


_EXECUTOR = _DaemonPool(32, "vfa-guard")
_LOCAL = threading.local()
# each worker's event loop for async checks (32 at most), closed at exit (the workers are daemons, never joined): left to the
# collector, each was warned of as unclosed, and at times its socket pair, finalised first, made its close raise
# ("Exception ignored ... Invalid file descriptor"), a traceback at the end of the user's script
_LOOPS: list[asyncio.AbstractEventLoop] = []


@atexit.register
def _close_loops() -> None:
    for loop in _LOOPS:
        if not loop.is_running() and not loop.is_closed():
            try:
                loop.close()
            except RuntimeError:  # a worker started running it meanwhile: left to the collector
                pass


class ChainResult:
    """The chain's outcome: the deciding verdict and every guard's decision, in order."""

    __slots__ = ("verdict", "decisions")

    def __init__(self, verdict: AnyVerdict, decisions: list[Decision]) -> None:
        self.verdict = verdict
        """Deny or Repair from the first guard that gave one; else the first Escalate; else Allow."""
        self.decisions = decisions
        """One decision per guard that ran, with its latency; a timed-out guard is recorded as a deny."""

    @property
    def allowed(self) -> bool:
        """True when no guard objected."""
        return self.verdict.kind == "allow"


def _asked_itself(exc: BaseException) -> bool:
    """Whether a guard raised LangGraph's `GraphInterrupt`: it called `interrupt()` itself (matched by name, as
    `_is_bubble_up` matches, so the chain does not import langgraph)."""
    return any(c.__name__ == "GraphInterrupt" for c in type(exc).__mro__)


def _guard_name(g: Any) -> str:
    name = getattr(g, "name", None) or type(g).__name__
    return name if name.__class__ is str else str(name)


class _Run:
    """Progress of one chain run on a worker, shared with the caller that watches its deadlines."""

    __slots__ = ("position", "decisions", "cancelled", "done", "error", "cond", "awaiting")

    def __init__(self) -> None:
        # index -1: queued, waiting for a free worker (charged to the first guard's budget, and
        # reported as such, not as that guard's slowness)
        self.position: tuple[int, float] = (-1, time.perf_counter())
        self.decisions: list[Decision] = []
        self.cancelled = False
        self.done = False
        self.error: BaseException | None = None
        self.cond = threading.Condition(threading.Lock())
        self.awaiting: Callable[[], None] | None = None
        """Cancels the async guard's check the worker awaits, if it awaits one: called at its deadline."""

    def watch(self, cancel: Callable[[], None] | None) -> None:
        """Say how to cancel the check the worker awaits now (None: none); one already past its deadline is
        cancelled at once."""
        with self.cond:
            self.awaiting = cancel
            if cancel is not None and self.cancelled:
                cancel()

    def abandon(self) -> None:
        """Give the run up (the caller holds `cond`): an async guard still awaiting is cancelled, so it lets its
        worker go; a sync one cannot be stopped, and runs no guard after it."""
        self.cancelled = True
        if self.awaiting is not None:
            self.awaiting()

    def move(self, index: int, started: float) -> None:
        with self.cond:
            self.position = (index, started)
            self.cond.notify()

    def finish(self, error: BaseException | None = None) -> None:
        with self.cond:
            self.done = True
            self.error = error
            self.cond.notify()


class GuardChain:
    """An ordered list of guards with a default per-guard time budget.

    Args:
        guards: run in this order; a Deny or Repair stops the chain, an Escalate does not (a later
            guard may still deny, and a denial must win over a question to a person).
        timeout_s: each guard's budget unless it sets its own `timeout_s`; overrunning it is a deny.
            None runs guards without their own budget inline (see below).

    A guard with `inline = True` runs in the caller's thread with no deadline: for pure, bounded
    checks whose author vouches they cannot hang, it saves the thread handoff that a hard
    deadline needs (~60–80 µs alone, more when other threads hold the GIL). A raise still denies, and
    the world (`GuardContext.world`), which the application provides, is read within `timeout_s` even
    by an inline guard.
    """

    def __init__(self, guards: Sequence[Any] = (), *, timeout_s: float | None = 1.0) -> None:
        check_budget(timeout_s, "the chain's timeout_s")
        self.guards = guard_list(guards)  # a slip is said here, not as a denial of every call
        check_budgets(self.guards)
        self.timeout_s = None if timeout_s is None else float(timeout_s)  # a numpy number waits as a float
        self._applicable: dict[tuple[str, tuple[int, ...]], tuple[list[Any], list[tuple[list[Any], list[Any]]]]] = {}
        self.warm_timeout_s = WARM_TIMEOUT_S
        """How long a guard's `warm()` may take before the calls it would judge are denied (`_unready`)."""
        # id(guard) -> (the guard, held weakly, and its warm-up): a tool's guards may be built per request, and a
        # new guard on a collected one's id is not warm (its first check would pay its warm-up, in its budget); one
        # that takes no weak reference (slotted) is known by its id alone, never kept (a prune forgets it)
        self._warms: dict[int, tuple[weakref.ref[Any] | None, concurrent.futures.Future[None]]] = {}
        self._warms_pruned_at = 64  # `_warms`' size after its last prune
        self._ready: set[tuple[str, tuple[int, ...]]] = set()  # plans whose guards are all warm
        self._warm_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"GuardChain({[_guard_name(g) for g in self.guards]!r})"

    def applicable(self, tool: str, extra: Sequence[Any] = ()) -> list[Any]:
        """The guards that judge a proposal of `tool`: the chain's own, then the tool's own."""
        return self._plan(tool, extra)[0]

    def _plan(self, tool: str, extra: Sequence[Any]) -> tuple[list[Any], list[tuple[list[Any], list[Any]]]]:
        """The applicable guards and their segments: consecutive guards of one kind, as (guards, their
        budgets), a budget of None meaning inline; read once, so a guard's budget is fixed when first used."""
        key = (tool, tuple(map(id, extra)))
        cached = self._applicable.get(key)
        if cached is None:  # guards are fixed once the chain is built: work this out once per tool
            # a tool's own guard that is the chain's too (given for the agent and on the tool) judges once, in the
            # chain's place: run twice, it was journaled and traced twice, and a person asked its question twice
            chain = {id(g) for g in self.guards} if extra else ()
            guards = [g for g in (*self.guards, *(g for g in extra if id(g) not in chain))
                      if getattr(g, "tools", None) is None or tool in g.tools]
            segments: list[tuple[list[Any], list[Any]]] = []
            for g in guards:
                budget = self._budget(g)
                if segments and (segments[-1][1][0] is None) == (budget is None):
                    segments[-1][0].append(g)
                    segments[-1][1].append(budget)
                else:
                    segments.append(([g], [budget]))
            cached = (guards, segments)
            if len(self._applicable) < 4096:
                self._applicable[key] = cached
        return cached

    def verify(self, proposal: Proposal, context: GuardContext, extra: Sequence[Any] = (), *,
               values: Proposal | None = None, withhold: Callable[[Any], Any] | None = None) -> ChainResult:
        """Run the applicable guards on one proposal and return the deciding verdict and all decisions.

        `values`: the proposal with its handles swapped for what they stand for (what the effect would
        receive), judged by every guard but those that read handles (`reads_handles = True`: a privacy
        guard); None when it holds no handle. `withhold`: what such a guard says (its verdict as JSON,
        or a text) with those values written as their handles again, applied before anything is cut
        or kept.
        """
        judged = None if values is None else _Judged(values, withhold or (lambda data: data))
        guards, segments = self._plan(proposal.tool, extra)
        if not segments:
            return ChainResult(ALLOW, [])
        if (proposal.tool, tuple(map(id, extra))) not in self._ready:
            cold = self._unready(proposal.tool, extra, guards)
            if cold is not None:
                return cold
        decisions: list[Decision] = []
        seen = _given(proposal, judged)
        # Consecutive guards of one kind run together: inline ones in this thread, budgeted ones
        # on one worker, so a chain costs at most one thread handoff per run of budgeted guards.
        for segment, budgets in segments:
            timed_out = self._run_inline(segment, proposal, context, decisions, judged) if budgets[0] is None else \
                self._run_isolated(segment, budgets, proposal, context, decisions, judged)
            if timed_out or decisions[-1].verdict.kind in ("deny", "repair"):
                break
        result = self._outcome(decisions)
        if result.verdict.kind in ("allow", "escalate") and _given(proposal, judged) != seen:
            # the effect (and a person asked) would get the arguments as a guard left them, which the guards
            # before it never saw: the proposal's dicts are the very ones the effect and the journal are given
            names = [d.guard for d in decisions]
            verdict = Deny(guard="chain", reason=f"a guard changed the call's arguments in place while judging it "
                           f"(guards that ran: {', '.join(map(repr, names))}); nothing was run: a guard judges the "
                           "proposal as given, and asks for another call with Repair", evidence={"guards": names})
            result = ChainResult(verdict, [*decisions, Decision(guard="chain", verdict=verdict, latency_s=0.0)])
        return result

    def _unready(self, tool: str, extra: Sequence[Any], guards: list[Any]) -> ChainResult | None:
        """Warm each guard of a plan not yet known warm (`warm()`, once per guard, on a thread of its own),
        outside any guard's budget: a guard that compiles or loads what it runs (numba kernels) would spend
        its first budget on that, and deny for it. A warm-up past `warm_timeout_s` denies the call (it goes
        on, and a later call waits for it again); one that raised leaves its check to meet the failure."""
        for g in guards:
            warm = getattr(g, "warm", None)
            if not callable(warm):
                continue
            with self._warm_lock:
                held = self._warms.get(id(g))
                if held is None or (held[0] is not None and held[0]() is not g):
                    if len(self._warms) >= self._warms_pruned_at * 2:  # the guards gone: at most twice those alive
                        self._warms = {k: v for k, v in self._warms.items() if v[0] is not None and v[0]() is not None}
                        self._warms_pruned_at = max(len(self._warms), 64)
                    held = self._warms[id(g)] = (_weak(g), _warm_up(warm))
                future = held[1]
            try:
                future.result(timeout=self.warm_timeout_s)
            except concurrent.futures.TimeoutError:
                name = _guard_name(g)
                verdict = Deny(guard=name, reason=f"guard {name!r} did not get ready (warm) within "
                               f"{self.warm_timeout_s:g} s", evidence={"warm_timeout_s": self.warm_timeout_s})
                return ChainResult(verdict, [Decision(guard=name, verdict=verdict, latency_s=self.warm_timeout_s)])
        if len(self._ready) < 4096:  # as the plans are kept: past it, each call asks its (done) warm-ups again
            self._ready.add((tool, tuple(map(id, extra))))
        return None

    def _run_inline(self, guards: list[Any], proposal: Proposal, context: GuardContext,
                    decisions: list[Decision], judged: _Judged | None = None) -> bool:
        """Run guards in this thread; never times out (inline guards have no budget)."""
        load = context._load_world
        if load is None or self.timeout_s is None:
            self._run_each(guards, proposal, context, decisions, None, judged)
            return False
        # an inline guard's author vouches for the guard, not for the application's world provider:
        # read by one of them, the world is read within the chain's budget (a raise denies)
        bounded = _within(load, self.timeout_s)
        context._load_world = bounded
        try:
            self._run_each(guards, proposal, context, decisions, None, judged)
        finally:
            if context._load_world is bounded:  # unread: a budgeted guard reads it on its own worker
                context._load_world = load
        return False

    def _run_isolated(self, guards: list[Any], budgets: list[float], proposal: Proposal, context: GuardContext,
                      decisions: list[Decision], judged: _Judged | None = None) -> bool:
        """Run guards on a worker with a deadline each; True if one overran (its deny is appended)."""
        run = _Run()
        ctx = contextvars.copy_context()  # guards see the caller's context (LangGraph config, spans)
        try:
            queued = _EXECUTOR.submit(ctx.run, self._run_guards, guards, proposal, context, run, judged)
        except RuntimeError as exc:  # no worker, and the system refused to start one (its thread limit)
            g = guards[0]
            decisions.append(Decision(guard=_guard_name(g), verdict=Deny(
                guard=_guard_name(g), reason=f"no guard worker could be started to run the check ({exc})"),
                latency_s=0.0))
            return True
        with run.cond:
            while not run.done:
                index, started = run.position
                budget = budgets[max(index, 0)]
                remaining = started + budget - time.perf_counter()
                if remaining > 0:
                    run.cond.wait(min(remaining, threading.TIMEOUT_MAX))  # woken when the worker moves on
                    continue
                run.abandon()
                queued.cancel()  # still waiting for a worker (all busy): dropped, never kept with the call's values
                g = guards[max(index, 0)]
                reason = (f"guard {_guard_name(g)!r} did not decide within {budget:g} s" if index >= 0 else
                          f"no guard worker became free within {budget:g} s (all are busy with earlier checks)")
                verdict = Deny(guard=_guard_name(g), reason=reason, evidence={"timeout_s": budget})
                decisions += run.decisions
                decisions.append(Decision(guard=_guard_name(g), verdict=verdict, latency_s=budget))
                return True
        if run.error is not None:  # a bubble-up (an interrupt), a KeyboardInterrupt or a SystemExit
            raise run.error
        decisions += run.decisions
        return False

    async def averify(self, proposal: Proposal, context: GuardContext, extra: Sequence[Any] = (), *,
                      values: Proposal | None = None, withhold: Callable[[Any], Any] | None = None) -> ChainResult:
        """Async twin of `verify`: the same chain, awaited without blocking the event loop."""
        return await off_loop(lambda: self.verify(proposal, context, extra, values=values, withhold=withhold))

    def _budget(self, g: Any) -> float | None:
        """A guard's time budget; None means it runs inline, in the caller's thread, without one."""
        if getattr(g, "inline", False):
            return None
        t = getattr(g, "timeout_s", None)
        return self.timeout_s if t is None else float(t)

    def _run_guards(self, guards: list[Any], proposal: Proposal, context: GuardContext, run: _Run,
                    judged: _Judged | None) -> None:
        try:
            self._run_each(guards, proposal, context, run.decisions, run, judged)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, re-raised there
            run.finish(exc)
        else:
            run.finish()

    def _run_each(self, guards: list[Any], proposal: Proposal, context: GuardContext, decisions: list[Decision],
                  run: _Run | None = None, judged: _Judged | None = None) -> None:
        """Run guards in order into `decisions`; `run`: the worker's progress, watched by the caller;
        `judged`: see `verify`."""
        clock = time.perf_counter
        for i, g in enumerate(guards):
            t0 = clock()
            if run is not None:
                if run.cancelled:
                    return
                run.move(i, t0)
            name = _guard_name(g)
            told = None if judged is None or getattr(g, "reads_handles", False) else judged.withhold
            built = True  # a denial made here from what the guard gave: its text is withheld as it is made
            try:
                verdict = _call_guard(g, proposal if told is None else judged.proposal, context, run)
                built = not isinstance(verdict, _VERDICT_TYPES)
                if built:
                    shown = repr(verdict) if told is None else _told(told, repr(verdict))  # withheld whole, then cut
                    verdict = Deny(reason=f"guard {name!r} returned {type(verdict).__name__}, not a verdict",
                                   evidence={"returned": shown[:200]})
                elif verdict.__class__ not in _VERDICT_CLASSES:  # a subclass: as the verdict it is (a raise denies)
                    verdict = _plain(verdict)
                elif verdict is not ALLOW and not _sound(verdict):
                    # built unvalidated (`model_construct`): a field missing, or a kind not its class's, would
                    # crash the node past the chain (no reason to quote, no question to ask), naming no guard
                    built = True
                    verdict = Deny(reason=f"guard {name!r} returned an invalid {type(verdict).__name__}: "
                                   f"{_invalid(verdict)}", evidence={"returned": type(verdict).__name__})
            except BaseException as exc:  # noqa: BLE001 - a crashing guard denies (fail closed)
                # whatever it raised is the guard's own failure (a CancelledError, a library's BaseException
                # such as gevent's Timeout, a GeneratorExit; an acheck cut off with the caller's loop): guards run
                # on vfa's threads, where nothing of vfa's raises them; only what stops the process passes
                if _asked_itself(exc):
                    # LangGraph hands a task's answers out by place, and the journal keeps no place for a guard's
                    # own pause: on resume its question would take the answer given about another call
                    verdict = Deny(reason=f"guard {name!r} called interrupt() itself; a guard asks a person by "
                                   "returning Escalate(question=...), whose answer is kept with its call",
                                   evidence={"error": type(exc).__name__})
                elif _is_bubble_up(exc) or isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                else:
                    # cut in the reason too: the error may quote all the guard read (a world record, a document),
                    # and the reason reaches the model's next message, the journal (twice) and the trace
                    message = (message_of(exc) if told is None else _told(told, message_of(exc)))[:500]
                    verdict = Deny(reason=f"guard {name!r} raised {type(exc).__name__}: {message}",
                                   evidence={"error": type(exc).__name__, "message": message})
            # an allow's evidence is journaled and traced too: told and written as a denial's is (and a
            # denial made of it when it cannot be names the guard)
            if verdict.kind != "allow" or verdict.evidence:
                if not verdict.guard or (not built and verdict.guard in _NODE_NAMES):
                    # a name the node's own verdicts go by is the node's alone: a resume reads a "journal"
                    # question's evidence as the node wrote it (the start it names is ended with the answer)
                    verdict = verdict.model_copy(update={"guard": name})
                if told is not None and not built:
                    verdict = _bounded(_withheld(verdict, told))
                else:
                    verdict = _bounded(_storable(verdict))
            # validated in C (a verdict instance is taken as it is): fewer interpreter steps than model_construct
            decisions.append(Decision(guard=name, verdict=verdict, latency_s=clock() - t0))
            if verdict.kind in ("deny", "repair"):
                return

    @staticmethod
    def _outcome(decisions: list[Decision]) -> ChainResult:
        best: AnyVerdict = ALLOW
        for d in decisions:
            if d.verdict.kind != "allow" and severity(d.verdict) > severity(best):
                best = d.verdict
        return ChainResult(best, decisions)


_NODE_NAMES = frozenset({"journal", "node", "chain"})
"""The names of the verdicts the guard node and the chain write themselves, never a guard's."""


WARM_TIMEOUT_S = 120.0
"""How long a guard's `warm()` may take (`GuardChain.warm_timeout_s`): numba compiling a guard's kernels on a
cold cache takes seconds to tens of seconds; past this the calls it judges are denied while it goes on."""


def _weak(g: Any) -> weakref.ref[Any] | None:
    """A weak reference to a guard, None where it takes none: held strongly, each guard built per request that
    takes none (a slotted dataclass) was kept for good by `_warms`."""
    try:
        return weakref.ref(g)
    except TypeError:
        return None


def _warm_up(warm: Callable[[], Any]) -> concurrent.futures.Future[None]:
    """`warm()` run on a thread of its own, once: its future is done when it returns or raises (what it raised
    is not kept: the guard's check meets the same failure). An awaitable it returns (an `async def warm`) is
    awaited there, on a loop of its own: dropped, nothing was loaded, and the first check paid for it."""
    done: concurrent.futures.Future[None] = concurrent.futures.Future()

    def run() -> None:
        try:
            result = warm()
            if inspect.isawaitable(result):
                _on_own_loop(result)
        except BaseException:  # noqa: BLE001 - said by the guard's check, which meets the same failure
            # not kept in the future: its traceback holds `warm`'s frames, so the guard, kept for good in `_warms`
            pass
        done.set_result(None)

    threading.Thread(target=run, name="vfa-guard-warm", daemon=True).start()
    return done


def _plain(verdict: Any) -> AnyVerdict:
    """A verdict of a subclass as the verdict it is, the subclass's own fields dropped: the journal keeps
    it, and a replay of the call reads it back as that verdict, which refuses fields of no verdict."""
    base = next(t for t in _VERDICT_TYPES if isinstance(verdict, t))
    return base.model_validate({k: getattr(verdict, k) for k in base.model_fields})


def _sound(verdict: Any) -> bool:
    """Whether a verdict of one of the verdict classes holds what its class requires: one made by
    `model_construct` was never validated. An allow is checked field by field (the hot path); the rest,
    rarer, are validated again (the instance is kept as it is)."""
    fields = verdict.__dict__
    if verdict.__class__ is Allow:
        return fields.get("kind") == "allow" and fields.get("evidence").__class__ is dict \
            and isinstance(fields.get("guard"), str)
    try:
        verdict.__class__.model_validate(dict(fields))
    except ValidationError:
        return False
    return True


def _invalid(verdict: Any) -> str:
    """What is wrong with an unsound verdict, by field and rule (never the values: they may be private)."""
    try:
        verdict.__class__.model_validate(dict(verdict.__dict__))
    except ValidationError as exc:
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'verdict'}: {e['msg']}" for e in exc.errors())[:500]
    return "it is not a verdict its class can hold"


def _given(proposal: Proposal, judged: _Judged | None) -> tuple[Any, ...]:
    """What the guards are given of the call's arguments (as validated, as written, and as their values), to
    compare before and after the chain: the same objects reach the effect and the journal, so a guard that
    writes into them is found. A flat value is kept as itself (a rebound key holds another object), any
    other by its JSON (a list a guard appended to), cheap on the hot path."""
    return (_shape(proposal.args), _shape(proposal.raw_args), None if judged is None else _shape(judged.proposal.args))


_FLAT = frozenset({str, int, float, bool, type(None)})


def _shape(args: Any) -> Any:
    if not isinstance(args, dict):
        return args
    return [(k, v if v.__class__ in _FLAT else _json_or_self(v)) for k, v in args.items()]


def _json_or_self(value: Any) -> Any:
    try:
        return _CONTENTS(value)
    except Exception:  # noqa: BLE001 - a cycle, a huge int, an object JSON cannot hold: compared as itself
        return value


def _contents(value: Any) -> Any:
    """What a value JSON cannot hold holds, for `_shape`: never its repr alone, which leaves out what a guard may
    change (a field declared `repr=False`, a secret's text, the middle of a long array)."""
    if isinstance(value, BaseModel):  # its fields (and extras), not its __dict__, where a cached property lands
        return {"<model>": type(value).__qualname__, **{k: getattr(value, k, None) for k in type(value).model_fields},
                **(value.__pydantic_extra__ or {})}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"<dataclass>": type(value).__qualname__, **{f.name: getattr(value, f.name, None)
                                                             for f in dataclasses.fields(value)}}
    reveal = getattr(value, "get_secret_value", None)
    if callable(reveal):  # pydantic's SecretStr and SecretBytes: compared in memory, never written
        return ["<secret>", reveal()]
    if callable(getattr(value, "tobytes", None)) and hasattr(value, "dtype"):  # a numpy array or scalar, whole
        return ["<array>", str(value.dtype), list(getattr(value, "shape", ())),
                hashlib.blake2b(value.tobytes(), digest_size=16).hexdigest()]
    return _members_or_repr(value)


_CONTENTS = json_text(default=_contents, separators=(",", ":"))
"""`_shape`'s encoder: the journal's JSON, with what a value holds where the journal writes its repr."""


def _within(load: Callable[[], Any], budget: float) -> Callable[[], Any]:
    """`load`, run on a guard worker and abandoned past `budget` seconds (`TimeoutError`)."""

    def bounded() -> Any:
        done = _EXECUTOR.submit(contextvars.copy_context().run, load)
        try:
            return done.result(timeout=budget)
        except concurrent.futures.TimeoutError:
            if done.done():  # the provider's own `TimeoutError` (the builtin, as the deadline's is), or an answer
                return done.result()  # just after the deadline: its own outcome, never a bare TimeoutError
            done.cancel()  # still queued behind busy workers: never read the world for a call already denied
            raise TimeoutError(f"the world provider did not answer within {budget:g} s") from None

    return bounded


class _Judged(NamedTuple):
    """A proposal as its effect would receive it, and how what a guard says of it is told (`verify`)."""

    proposal: Proposal
    withhold: Callable[[Any], Any]


def _withheld(verdict: Any, withhold: Callable[[Any], Any]) -> Any:
    """A verdict given on values, told with them withheld (its evidence read as JSON, anything JSON
    cannot hold by its repr, so that no object carries a value past `withhold`); a denial when it
    cannot be told so (fail closed)."""
    try:
        return type(verdict).model_validate(withhold(_jsonable(verdict.model_dump())))
    except Exception as exc:  # noqa: BLE001 - withheld whole rather than told in clear
        return Deny(guard=verdict.guard, reason=f"guard {verdict.guard!r} gave a verdict ({verdict.kind}) on the values "
                    f"of the call's handles that could not be told without them ({type(exc).__name__}); it is withheld")


def _storable(verdict: Any) -> Any:
    """A verdict the journal can write: evidence JSON cannot hold written by its repr (a set as a list,
    an object by its repr, a cycle cut), text that UTF-8 cannot hold (a lone surrogate) escaped, so a
    guard that puts such a thing in its verdict still denies (or asks) instead of failing the write; a
    denial naming the guard when even that cannot be written (fail closed)."""
    if _writable(verdict):  # the usual case: kept as it is
        return verdict
    try:
        update: dict[str, Any] = {k: _utf8(v) for k, v in verdict.__dict__.items() if v.__class__ is str}
        update["evidence"] = _jsonable(verdict.evidence)
        fixed = verdict.model_copy(update=update)
        if _writable(fixed):
            return fixed
        problem = "it cannot be written as JSON"
    except Exception as exc:  # noqa: BLE001 - denied by the guard's name, below
        problem = type(exc).__name__
    return Deny(guard=_utf8(verdict.guard), reason=f"guard {_utf8(verdict.guard)!r} gave a verdict ({verdict.kind}) "
                f"the journal cannot write ({problem}); it is withheld")


MAX_VERDICT_TEXT = 4000
"""The most characters a verdict's reason, question or hint keeps: what a guard says reaches the model's next
message, the journal (twice) and the trace, so a guard that quotes a whole document costs none of them."""
MAX_EVIDENCE_BYTES = 64 * 1024
"""The most JSON a denial's or repair's evidence shown to the model keeps (its keys written "_..." are the
journal's alone, kept); a question's is kept whole, since answering it reads it (an approval's scope)."""


def _bounded(verdict: Any) -> Any:
    """`verdict` with a text over `MAX_VERDICT_TEXT` cut, saying how long it was, and a denial's or repair's
    evidence over `MAX_EVIDENCE_BYTES` replaced by a note of its size; the verdict itself is unchanged."""
    update: dict[str, Any] = {k: f"{v[:MAX_VERDICT_TEXT]}... [shortened: {len(v):,} characters]"
                              for k, v in verdict.__dict__.items()
                              if v.__class__ is str and k != "guard" and len(v) > MAX_VERDICT_TEXT}
    if verdict.kind in ("deny", "repair") and verdict.evidence:
        # what the model is shown; keys written "_..." are the journal's alone (an audit reads a flow's records)
        shown = {k: v for k, v in verdict.evidence.items() if not (isinstance(k, str) and k.startswith("_"))}
        size = len(dumps(shown).encode("utf-8"))  # writable by now (`_storable`, `_withheld`)
        if size > MAX_EVIDENCE_BYTES:
            kept = {k: v for k, v in verdict.evidence.items() if k not in shown}
            update["evidence"] = {**kept, "shortened": f"the guard's evidence ({size:,} bytes of JSON) is over the "
                                                       f"{MAX_EVIDENCE_BYTES:,} a verdict keeps"}
    return verdict.model_copy(update=update) if update else verdict


def _writable(verdict: Any) -> bool:
    try:
        dumps(verdict.model_dump(mode="json"))
        for value in verdict.__dict__.values():  # the trace is given its text as it is (`dumps` escapes it)
            if value.__class__ is str:
                value.encode("utf-8")  # a lone surrogate: no OTLP exporter can send it
        # as the denial's text and the trace write it: pydantic writes a key JSON cannot key (a tuple, a
        # date) as text, where `json.dumps` raises
        if verdict.evidence:
            dumps(verdict.evidence)
    except Exception:  # noqa: BLE001 - not writable, whatever the reason
        return False
    return True


def _utf8(text: str) -> str:
    """`text` with what UTF-8 cannot encode (a lone surrogate) written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _told(withhold: Callable[[Any], Any], text: str) -> str:
    try:
        return withhold(text)
    except Exception as exc:  # noqa: BLE001 - withheld whole rather than told in clear
        return f"<withheld: it could not be told without the values the guard judged ({type(exc).__name__})>"


def _jsonable(value: Any, depth: int = 0) -> Any:
    if value is None or value.__class__ in (float, bool):
        return value
    if value.__class__ is str:
        return _utf8(value)
    if value.__class__ is int:  # past 4,300 digits an int has no decimal text Python will write
        return value if value.bit_length() < 8192 else f"<an int of {value.bit_length()} bits>"
    if depth > 64:  # deeper than arguments may nest (a cycle, say): cut
        return "<nested too deep>"
    if isinstance(value, dict):
        return {_utf8(k) if k.__class__ is str else _shown(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v, depth + 1) for v in value]
    return _shown(value)


def _shown(value: Any) -> str:
    try:
        return _utf8(repr(value))
    except Exception:  # noqa: BLE001 - a hostile __repr__: shown as its type
        return f"<a {type(value).__name__} that cannot be shown>"


def _call_guard(g: Any, proposal: Proposal, context: GuardContext, run: _Run | None = None) -> Any:
    check = getattr(g, "check", None)
    if check is None or (AWAITED.get() and getattr(g, "acheck", None) is not None):  # as the `Guard` protocol says
        acheck = getattr(g, "acheck", None)
        if acheck is None:
            raise TypeError(f"{g!r} has neither check() nor acheck()")
        result = acheck(proposal, context)
    else:
        result = check(proposal, context)
    if result.__class__ in _VERDICT_CLASSES:  # the usual case, without isawaitable's ABC check
        return result
    if inspect.isawaitable(result):
        caller = CALLER_LOOP.get()
        if caller is not None and caller.is_running():
            # the async caller's own loop, free while it awaits the call: a check there may use what the app made
            # on it (a client, a pool, a semaphore), which a loop of vfa's own cannot; a loop that stopped once the
            # caller gave up (a sync bridge's `wait_for` timed out, its loop kept) may never run again: the check is
            # cut off (a denial no one reads), never waited for holding the thread (an inline guard has no deadline)
            def stopped() -> bool:
                return caller_gone() and not caller.is_running()

            load = _world_read_here(context)
            try:
                if run is None:
                    return on_loop(result, caller, given_up=stopped)
                try:
                    return on_loop(result, caller, started=lambda future: run.watch(lambda: _cancel(future, caller)),
                                   given_up=stopped)
                finally:
                    run.watch(None)
            finally:
                if load is not None:  # the failed read is the check's alone: a later guard asks the provider again
                    context._load_world = load
        if run is None:  # inline, no deadline, in the caller's thread: a loop of its own, closed once done
            # (kept per caller thread, each loop's three descriptors stayed open for the thread's life, a
            # pool's idle threads included, and past it until a garbage collection: ~40 µs a check buys that)
            if not _loop_running():
                return _on_own_loop(result)
            # a sync run made where a loop runs (a notebook cell, an async effect invoking a helper): no other loop
            # can run in this thread ("another loop is running", every call denied), so on a thread of its own
            with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="vfa-inline-check") as one:
                return one.submit(contextvars.copy_context().run, _on_own_loop, result).result()
        loop = getattr(_LOCAL, "loop", None)
        if loop is None:  # one loop per guard worker (32 at most), reused: creating a loop per check is costly
            loop = _LOCAL.loop = asyncio.new_event_loop()
            _LOOPS.append(loop)
        task = loop.create_task(_awaited(result))
        run.watch(lambda: loop.call_soon_threadsafe(task.cancel))  # a coroutine, unlike a thread, can be stopped
        try:
            result = loop.run_until_complete(task)
        finally:
            run.watch(None)
            _end_left(loop)
    return result


def _world_read_here(context: GuardContext) -> Callable[[], Any] | None:
    """Read the world in this thread, within the check's budget, for a check about to be awaited on the caller's
    loop: the provider is sync, and read there by `context.world` it blocked that loop (every conversation on it)
    for as long as it took, the denial at the deadline held until it returned (for good, a provider that hangs).
    A read that raised is raised again by the check's own read, which the provider is not asked again for; returns
    the provider to hand back once the check is done (None: nothing to hand back)."""
    load = context._load_world
    if load is None:
        return None
    try:
        context.world  # noqa: B018 - read for its effect: kept on the context for the check
    except Exception as exc:  # noqa: BLE001 - the check's read meets it, and the check denies as it would
        context._load_world = functools.partial(_raise, exc)
        return load
    return None


def _raise(exc: BaseException) -> Any:
    raise exc


def _cancel(future: concurrent.futures.Future[Any], loop: asyncio.AbstractEventLoop) -> None:
    """Cancel a check awaited on the caller's loop; one whose loop has closed meanwhile is cut off already
    (`on_loop` sees it), and cancelling would only log the closed loop's error (the future logs its callbacks')."""
    if not loop.is_closed():
        future.cancel()


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def _on_own_loop(awaitable: Any) -> Any:
    """Await `awaitable` on a new event loop in this thread, closed once done."""
    own = asyncio.new_event_loop()
    try:
        return own.run_until_complete(_awaited(awaitable))
    finally:
        try:
            _end_left(own)
        finally:
            own.close()


_END_LEFT_S = 0.05
"""How long a check's verdict waits for what it left to end once cancelled: one that takes longer (a writer
flushing in `finally`) must not hold the verdict past its budget, nor the worker for good (no deadline reaches it)."""


def _end_left(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what a check left running on a loop of vfa's own and let it end, as `asyncio.run` does (for
    `_END_LEFT_S` at most: one still ending goes on with the checks next run there, or is dropped with the loop):
    left, it was destroyed pending (a closed loop) or stepped by whatever check next ran there (a worker's kept
    loop). One cancelled already (still ending after an earlier check) is not cancelled again, mid-cleanup."""
    left = asyncio.all_tasks(loop)
    if not left:
        return
    for task in left:
        if not task.cancelling():
            task.cancel()
    loop.run_until_complete(asyncio.wait(left, timeout=_END_LEFT_S))


def _loop_running() -> bool:
    """Whether an event loop runs in this thread (no other can run here while it does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
