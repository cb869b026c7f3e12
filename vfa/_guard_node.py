"""The guard node: the one place where tools run. It verifies each proposal, then commits it.

Verification and commit happen in the same node step, so no route into the node (a static edge,
`Command(goto=...)` or `Send`) can reach an effect without the guards, and there is no gap between
the check and the use (no TOCTOU window).
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import inspect
import io
import json
import math
import threading
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import var_child_runnable_config
from langgraph._internal._constants import CONFIG_KEY_STREAM  # a graph run inside a node streams to it
from langgraph._internal._runnable import RunnableCallable

try:  # LangGraph's own stream handlers: its `messages` and `tools` stream modes (the latter since 1.2)
    from langgraph.pregel._messages import StreamMessagesHandler as _MessagesStream
    from langgraph.pregel._tools import StreamToolCallHandler as _ToolsStream

    _GRAPH_STREAMS: tuple[type, ...] = (_MessagesStream, _ToolsStream)
except ImportError:  # an older LangGraph: its `messages` stream alone
    from langgraph.pregel._messages import StreamMessagesHandler as _MessagesStream

    _GRAPH_STREAMS = (_MessagesStream,)
from langgraph.config import get_config
from langgraph.errors import ParentCommand

from . import _tracing
from ._chain import ChainResult, GuardChain, _awaited
from ._effects import caller_gone, off_loop, on_loop
from ._escalation import Questions, can_ask, current_task, one_run
from ._exceptions import CallInFlightError, ConfigError, ThreadBusy, error_text
from ._guard import GuardContext
from ._injected import CALLING
from ._journal import (
    _THREAD_HOLD,
    TERMINAL,
    EffectJournal,
    JournalEntry,
    _is_bubble_up,
    _members_or_repr,
    dumps,
    failure,
    in_flight,
    own_entries,
    pause_of,
    recorded,
    recorded_result,
    result_data,
    with_reprs,
)
from ._jsontext import json_text, unaddressed
from ._labels import PUBLIC, Label
from ._proposal import CommitRecord, Proposal
from ._run_tally import RunTally
from ._savers import savers_of
from ._tools import (
    MAX_ARG_DEPTH,
    MAX_TOOL_NAME,
    RESULT_SHAPE,
    ArgumentError,
    ToolSpec,
    _is_langchain_tool,
    as_asked,
    as_validated,
    nested_over,
    tool_list,
    validated_by_value,
)
from ._verdict import Allow, Decision, Deny, Escalate, Repair

__all__ = ["Flow", "GuardNode", "thread_key"]


class Flow(Protocol):
    """Information-flow hooks of a guard node (the privacy guards implement it).

    `label` gives the labels of a proposal's arguments; `resolve` returns the arguments the effect
    really receives (e.g. opaque handles swapped for the values they stand for), called only after
    the guards allowed the proposal; `observe` turns a tool's result into the text the model sees
    (e.g. private values replaced by handles). `observe` runs again on replay, so it must be
    deterministic in (thread id, call id, result). A flow may also define `bind(specs, journal,
    messages_key)`, called once by each guard node it serves with that node's tool specs, journal and
    state key of its messages (so it can rebuild what it observed on a thread from the journal after
    a restart), and `observe_error(proposal, spec, text)` for a tool's error text (which may quote
    anything the tool held); without it errors go through `observe`; and `observe_denial(proposal,
    text)` for the text of a denial the model reads (a guard's reason may quote the world, such as a
    balance a precondition compared). A flow that keeps per-thread
    state within bounds may define `hold(thread_id)` and `release(thread_id)`: the node holds the
    thread around each call, so what the call's hooks read is not dropped between them. A flow may
    define `lint(guards, specs)`, run where the guards' `lint` runs (`Agent.compile`, a gate's tools),
    to raise `PolicyError` when those guards do not enforce it (a flow without its guard would hand
    any handle's value to any call). A flow whose arguments may hold references (handles) may define
    `marked(args)`: the names of the arguments as written that hold one, validated by the tool's schema
    on the values they stand for (`Proposal.by_value`) where the reference's text does not fit.
    The call `label` is given holds "name", "args", "id" and "raw_args" (as written); for a person's
    edit of a call, also "edited_from": the model's call as written (and as the question showed it,
    where validation changed it: `as_asked`), so that what the person typed (the values it does not
    hold) can be told from what the model wrote. A flow may define `read(state, thread_id)`, given
    what a model call is about to read (a state holding its messages; `GuardMiddleware` calls it), so
    that a result no guard node wrote counts though the state drops it before the next tool call. A call
    made from inside another call's effect (a tool that runs an agent) also holds "within": the outermost
    call's state and thread id, and the join of the labels of the calls it was made inside ("label").
    """

    def label(self, call: Mapping[str, Any], state: Any, thread_id: str) -> Mapping[str, Label]: ...

    def resolve(self, proposal: Proposal) -> dict[str, Any]: ...

    def observe(self, proposal: Proposal, spec: ToolSpec | None, result: Any) -> str: ...
_LOCAL = threading.local()


class _Held:
    """The lock that orders the calls made inside one call holding its thread (`_OneAtATime.of`), while that
    call holds it: a task its effect started and left running (`asyncio.create_task` copies the context)
    keeps the mark after the call ended, and is then inside the call it was made in (`up`), or none."""

    __slots__ = ("lock", "up", "open")

    def __init__(self, up: _Held | None) -> None:
        self.lock = threading.RLock()
        self.up = up
        self.open = True

    def current(self) -> _Held | None:
        """This mark, or the nearest one it was made inside that is still held; None when none is."""
        held: _Held | None = self
        while held is not None and not held.open:
            held = held.up
        return held


@contextmanager
def _marked(held: Mapping[tuple[int, str], _Held], key: tuple[int, str], up: _Held | None) -> Iterator[None]:
    """The block with `key` marked held by a call of its own (made inside `up`); at its end, the mark closed and
    the calls made inside it waited for: one still running (made by a task its effect left) is part of this
    call, and the thread's lock must not pass on before it is done."""
    mine = _Held(up)
    token = _HELD.set({**held, key: mine})  # seen by what the call runs, on any OS thread
    try:
        yield
    finally:
        mine.open = False  # a call made inside it from now on waits for the thread (`_OneAtATime.of`)
        with mine.lock:
            pass
        _HELD.reset(token)


_HELD: contextvars.ContextVar[Mapping[tuple[int, str], _Held]] = contextvars.ContextVar(
    "vfa_held_threads", default={})
"""The thread locks the current call holds (`_OneAtATime`), each with the lock that orders the calls made
from inside it: a context variable, since what a call runs (a tool's own agent) may run on another OS
thread, in a copy of its context."""


class _Within:
    """A call whose effect runs: the conversation it was made in (an agent used as a tool is given text
    its caller's model wrote), and its arguments' labels once labelled."""

    __slots__ = ("state", "thread_id", "outer", "labels", "given", "ended", "replayed")

    def __init__(self, state: Any, thread_id: str, outer: _Within | None) -> None:
        # a task an ended call's effect left running (`asyncio.create_task` copies the context) holds its
        # frame on: what that task calls is inside the nearest call still running, or none
        while outer is not None and outer.ended:
            outer = outer.outer
        # the conversation is the outermost call's: an inner agent's messages are text a model wrote
        self.state, self.thread_id = (state, thread_id) if outer is None else (outer.state, outer.thread_id)
        self.given = state
        """The state this call's own node was given: what a tool taking `InjectedState` is given."""
        self.outer = outer
        self.labels: dict[str, Label] | None = None
        self.ended = False
        """Set when its effect has returned (`GuardNode._commit`), or its call is done (`GuardNode.handle`)."""
        self.replayed = False
        """Its call was answered from the journal (a node run again): nothing judged or done again."""

    def made_from(self) -> Label:
        """The join of this call's arguments' labels and of those of the calls it was made inside: what a
        call made from inside its effect may carry (joined only when one is made: rarely)."""
        joined = self.outer.made_from() if self.outer is not None else PUBLIC
        if self.labels is None:  # never labelled (a node without a flow): what it carries is not known
            return joined.join(_UNLABELLED)
        for lbl in self.labels.values():
            joined = joined.join(lbl)
        return joined


class _Specs(dict):
    """A guard node's tools by name: a dict a flow can refer to weakly (`bind`), so an agent built per
    request on one long-lived flow is not kept alive by it."""

    __slots__ = ("__weakref__",)


_UNLABELLED = Label(sources=frozenset({"unlabelled-caller"}), trusted=False)
"""What a call made from inside a call no flow labelled is made from: not known, so untrusted."""

_WITHIN: contextvars.ContextVar[_Within | None] = contextvars.ContextVar("vfa_within", default=None)
"""The call of a guard node whose check or effect runs (`GuardNode.handle`): a call made from inside it (a
tool running an agent) is labelled as made from that call's arguments, in its conversation (`Flow.label`'s
"within"). A context variable, so what the effect runs on another OS thread, in a copy of the context, sees it."""


class _OneAtATime:
    """One lock per conversation thread, held from a call's check to the end of its commit: calls of
    one thread that run at once (`create_agent` sends each call of a turn as a task of its own) are
    verified and committed one after another, so no guard reads a world another call is changing.
    Shared by the guard nodes of one journal file (`_turns_of`: two agents of one graph, on one thread, run
    as parallel branches; agents built per request on one file). A call made from inside a call that holds it (an agent a tool runs, with
    the outer thread id) does not wait for it, which would wait for itself: the calls made inside one
    call are ordered by a lock of that call's own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[str, list[Any]] = {}
        """Thread -> [its lock, how many calls hold or wait for it, the ids of the calls that hold it]:
        dropped when none does."""

    def running(self, thread_id: str, call_id: str) -> bool:
        """Whether a run of this process holds the thread's lock for `call_id` (a cancelled `ainvoke`'s worker
        still inside its effect, or another request's): that call is under way, not refused."""
        with self._lock:
            entry = self._locks.get(thread_id)
            return entry is not None and call_id in entry[2]

    @contextmanager
    def of(self, thread_id: str, wait_s: float | None = None, call_id: str = "") -> Iterator[None]:
        """Hold the thread's lock (or, made inside a call that holds it, that call's own) for the block,
        for `call_id` when given (`running`); raises `ThreadBusy` when it is not free within `wait_s`
        seconds (None: wait for it)."""
        if wait_s is not None and wait_s > threading.TIMEOUT_MAX:  # inf and the like: `acquire` cannot time them
            wait_s = None
        key = (id(self), thread_id)
        held = _HELD.get()
        mark = held.get(key)
        inner = mark.current() if mark is not None else None  # a call since ended holds nothing for a task it left
        while inner is not None:
            # made from inside a call this thread's lock is held for (an agent used as a tool, run by
            # LangGraph on a pool thread, or awaited): ordered among the calls made inside that call
            if not inner.lock.acquire(timeout=-1 if wait_s is None else wait_s):
                raise ThreadBusy(thread_id, wait_s)
            if inner.open:
                break
            inner.lock.release()  # that call ended while this one waited: it holds the thread no longer
            inner = inner.current()
        if inner is not None:
            try:
                with _marked(held, key, inner):
                    yield
            finally:
                inner.lock.release()
            return
        with self._lock:
            entry = self._locks.get(thread_id)
            if entry is None:
                entry = self._locks[thread_id] = [threading.RLock(), 0, []]  # re-entrant: a tool may call another
            entry[1] += 1
        try:
            if not entry[0].acquire(timeout=-1 if wait_s is None else wait_s):
                raise ThreadBusy(thread_id, wait_s)
            with self._lock:
                entry[2].append(call_id)
            try:
                with _marked(held, key, None):
                    yield
            finally:
                with self._lock:
                    entry[2].remove(call_id)
                entry[0].release()
        finally:
            with self._lock:
                entry[1] -= 1
                if not entry[1]:
                    del self._locks[thread_id]


_RUNNING = ("a call on thread {!r} is being run in this process; nothing was deleted: delete the thread once "
            "its runs have finished")
"""What `GuardNode.delete_thread` says when a call holds the thread's lock."""

LOCK_WAIT_S = 60.0
"""How long a call waits, by default, for the lock another call of its conversation holds (`GuardNode.lock_wait_s`)."""

_TURNS: weakref.WeakValueDictionary[Any, _OneAtATime] = weakref.WeakValueDictionary()
_TURNS_LOCK = threading.Lock()


def _turns_of(journal: Any) -> _OneAtATime:
    """The thread locks of the guard nodes that share a journal file: their calls on one thread are ordered
    as one node's are, whatever journal object each was given (an app that builds its agent per request
    opens the file per request; two requests of one conversation must not both pass one balance)."""
    key = getattr(journal, "_key", None) or journal  # one name for every connection to one file
    with _TURNS_LOCK:
        turns = _TURNS.get(key)
        if turns is None:
            turns = _TURNS[key] = _OneAtATime()
        return turns


@contextmanager
def _holding_thread(journal: Any, thread_id: str) -> Iterator[None]:
    """Hold a thread for its deletion, without waiting: `CallInFlightError` while a call of it runs in this process
    (its lock is held from the call's check to its record), or when asked from inside a call of it."""
    turns = _turns_of(journal)
    if (id(turns), thread_id) in _HELD.get():  # asked from inside a call of the thread itself
        raise CallInFlightError(_RUNNING.format(thread_id))
    try:
        with turns.of(thread_id, 0):
            yield
    except ThreadBusy:  # the lock's, taken without waiting (the deletion raises none)
        raise CallInFlightError(_RUNNING.format(thread_id)) from None


_THREAD_HOLD[0] = _holding_thread  # the journal's own deletion holds the thread as this node's does


def _holding(flow: Any, thread_id: str, run: Callable[[], Any]) -> Any:
    """`run()` with the thread held by a flow that keeps per-thread state (`Flow.hold`), so nothing
    its hooks read is dropped until it returns."""
    hold = getattr(flow, "hold", None)
    if hold is None:
        return run()
    hold(thread_id)
    try:
        return run()
    finally:
        flow.release(thread_id)
Execute = Callable[[ToolSpec, dict[str, Any]], Any]


class GuardNode(RunnableCallable):
    """A LangGraph node that verifies every proposed tool call with a guard chain, then commits it.

    Use it wherever a `ToolNode` would go; `Agent.compile` puts one in every agent it builds.

    Args:
        tools: effects (`@effect`), plain functions (read-only tools) or LangChain tools.
        guards: the chain's guards, in order; tools' own guards run after them.
        journal: an `EffectJournal`, a path for one, or None for an in-memory journal.
        world: the application's world state given to guards: an object, or a callable taking the
            graph state (or nothing) and returning it, called at most once per verification, when a
            guard first reads `GuardContext.world` (within that guard's budget: one that raises or
            hangs denies the call).
        flow: information-flow hooks (`Flow`): labels arguments, resolves them at commit time and
            turns results into what the model sees.
        timeout_s: each guard's default time budget; overrunning it is a deny.
        max_arg_bytes: the largest a proposal's arguments may be, as JSON; larger is a deny.
    """

    @property
    def lock_wait_s(self) -> float | None:
        """How long a call waits for its conversation's lock before it is denied (`ThreadBusy`); None: no bound."""
        return self._lock_wait_s

    @lock_wait_s.setter
    def lock_wait_s(self, seconds: float | None) -> None:
        # set after construction, so checked here: `acquire` would raise at every call (NaN, a text) or, at -1,
        # wait for ever
        if seconds is not None and (seconds.__class__ is bool or not isinstance(seconds, (int, float))
                                    or math.isnan(seconds) or seconds < 0):
            raise ConfigError(f"lock_wait_s must be a number of seconds, zero or more, or None (no bound), "
                              f"not {seconds!r}")
        self._lock_wait_s = seconds

    def __init__(
        self,
        tools: Sequence[Any],
        guards: Sequence[Any] = (),
        *,
        journal: EffectJournal | str | None = None,
        world: Any = None,
        flow: Flow | None = None,
        timeout_s: float = 1.0,
        max_arg_bytes: int = 64 * 1024,
        messages_key: str = "messages",
        name: str = "tools",
        max_edit_rounds: int = 3,
    ) -> None:
        if max_arg_bytes.__class__ is bool or not isinstance(max_arg_bytes, int) or max_arg_bytes < 1:
            raise ConfigError(f"max_arg_bytes must be a whole number of bytes above zero, not {max_arg_bytes!r}")
        super().__init__(self._func, self._afunc, name=name, trace=False)
        self.specs: dict[str, ToolSpec] = _Specs()
        for t in tool_list(tools):
            spec = ToolSpec.of(t)
            if spec.name in self.specs:  # kept, the later would silently replace the earlier (its guards too)
                raise ConfigError(f"two tools share the name {spec.name!r}; tool names must be unique: rename one "
                                  "(`@effect(name=...)`, `@tool(\"...\")`)")
            self.specs[spec.name] = spec
        self.chain = GuardChain(guards, timeout_s=timeout_s)
        if flow is not None and not all(callable(getattr(flow, hook, None)) for hook in ("label", "resolve", "observe")):
            raise TypeError(f"flow must be a vfa.Flow (label, resolve and observe), such as a PrivacyFlow, "
                            f"not {type(flow).__name__}")
        if max_edit_rounds.__class__ is bool or not isinstance(max_edit_rounds, int) or max_edit_rounds < 0:
            raise ConfigError(f"max_edit_rounds must be a whole number of edits, zero or more, not {max_edit_rounds!r}")
        if not isinstance(messages_key, str) or not messages_key:
            raise TypeError(f"messages_key must be the name of the state's messages, not {messages_key!r}")
        self._world = _world_provider(world)
        # opened last of all but the flow's binding, and closed if that refuses: a connection dropped open stays
        # open until a garbage collection (a reference cycle), a descriptor lost per refused set-up
        self.journal = journal if isinstance(journal, EffectJournal) else EffectJournal(
            ":memory:" if journal is None else journal)
        self._owns_journal = self.journal is not journal
        self.flow = flow
        bind = getattr(flow, "bind", None)
        if bind is not None:  # the flow learns the tools it labels and the journal it can restore from
            try:
                bind(self.specs, self.journal, messages_key)
            except BaseException:
                self.close()
                raise
        self.max_arg_bytes = max_arg_bytes
        self._turns = _turns_of(self.journal)
        self.savers = savers_of(self.journal)
        """The checkpointers this node's runs (and those of every node on its journal's file) were saved in."""
        self.lock_wait_s = LOCK_WAIT_S
        self.messages_key = messages_key
        self.max_edit_rounds = max_edit_rounds
        self.has_world = world is not None
        """Whether the node was given a world for its guards (`Agent.lint` refuses guards that read one without)."""

    def close(self) -> None:
        """Close the journal the node opened itself (from a path, or in memory); one it was given open stays
        open, its caller's to close. The node cannot run calls afterwards."""
        if self._owns_journal:
            self.journal.close()

    def delete_thread(self, thread_id: str, *, first: Callable[[], Any] | None = None) -> int:
        """Delete a thread's journal entries and what the flow holds of it (`EffectJournal.delete_thread`);
        returns how many entries were deleted. `first` deletes its checkpoints (`Agent.delete_thread`): run
        before the journal, with the thread's lock held, as the entries are deleted.

        Raises `CallInFlightError`, nothing deleted (`first` not run), while a call of the thread runs in this
        process: its lock is held from the call's check to its record (a read-only tool's result, journaled
        once it returns, or an effect's guards deciding before its start is written), which a deletion that
        went ahead would leave journaled after it."""
        if isinstance(thread_id, str) and thread_id:  # else the journal names what is wrong with it
            with _holding_thread(self.journal, thread_id):
                if first is not None:
                    # an effect under way in another process refuses the journal's deletion: asked before the
                    # checkpoints go, so a refused deletion deletes neither (one begun in between still can)
                    self.journal.refuse_in_flight(thread_id)
                    first()
                deleted = self.journal._delete_thread(thread_id)
        else:
            deleted = self.journal.delete_thread(thread_id)
        forget = getattr(self.flow, "forget", None)
        if forget is not None:  # a flow that does not read the journal is not among its readers
            forget(thread_id)
        return deleted

    # -- LangGraph entry points ------------------------------------------------------------------

    def note_saver(self, config: RunnableConfig) -> None:
        """Note the saver the run of `config` is checkpointed in, which compile may never have been given (a
        subgraph's runs are saved in its parent's, whatever it was compiled with): erasing the thread erases its
        checkpoints there first."""
        self.savers.note_run(config)

    def _func(self, input: Any, config: RunnableConfig) -> Any:
        self.note_saver(config)
        calls, state, as_list = self._parse(input)
        thread_id = thread_key(config, state, self.messages_key)
        ids = [str(c.get("id") or "") for c in calls]
        first: dict[str, int] = {}  # each id's first place: a turn of thousands of calls is checked in one pass, not i by i
        for i, call_id in enumerate(ids):
            first.setdefault(call_id, i)

        def turn() -> list[ToolMessage]:
            return [self.handle(call, state, thread_id) if first[ids[i]] == i else
                    self.refuse_duplicate(call, state, thread_id, i, f"call id {ids[i]!r} appears twice in one model "
                                          "turn; each call needs its own id")
                    for i, call in enumerate(calls)]

        # a turn's calls read what the earlier ones showed: the thread is kept until the last is done
        with one_run():
            messages = _holding(self.flow, thread_id, turn) if len(calls) > 1 else turn()
        return messages if as_list else {self.messages_key: messages}

    async def _afunc(self, input: Any, config: RunnableConfig) -> Any:
        # One implementation: the sync path runs in a worker thread (guards may block); async
        # effects are sent back to this loop to run, so they keep using the caller's resources.
        loop = asyncio.get_running_loop()

        def run() -> Any:
            _LOCAL.loop = loop
            try:
                return self._func(input, config)
            finally:
                _LOCAL.loop = None

        return await off_loop(run)

    def _parse(self, input: Any) -> tuple[list[dict[str, Any]], Any, bool]:
        if isinstance(input, dict) and input.get("__type") == "tool_call_with_context":
            return [input["tool_call"]], input.get("state") or {}, False  # a Send from create_agent
        if isinstance(input, dict) and input.get("type") == "tool_call":
            return [input], {}, False  # a Send of one bare tool call
        if isinstance(input, list) and input and isinstance(input[-1], dict) and input[-1].get("type") == "tool_call":
            return list(input), {}, False
        as_list = isinstance(input, list)
        messages = input if as_list else (
            input.get(self.messages_key, []) if isinstance(input, dict) else getattr(input, self.messages_key, []))
        last = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
        if last is None:
            raise ValueError(f"guard node {self.name!r} got no AIMessage with tool calls in {self.messages_key!r}")
        state = {self.messages_key: messages} if as_list else input
        return list(last.tool_calls), state, as_list

    # -- one proposal ----------------------------------------------------------------------------

    def read(self, state: Any, thread_id: str) -> None:
        """Hand the flow what a model call on the thread is about to read (`Flow.read`, if it has one)."""
        read = getattr(self.flow, "read", None)
        if read is not None:
            with self._turns.of(thread_id, self.lock_wait_s):
                _holding(self.flow, thread_id, lambda: read(state, thread_id))

    def handle(self, call: Mapping[str, Any], state: Any, thread_id: str,
               execute: Execute | None = None, *, changed_from: Any = None, by_person: bool = False) -> ToolMessage:
        """Verify one tool call and commit it if allowed; always returns the call's own tool message.

        Args:
            execute: `(spec, args) -> result`, how to run the tool once it is allowed (default: call
                its function); the retrofit layer passes the user's own ToolNode execution here.
            changed_from: the model's arguments as its turn's message shows them, when the call reached
                this node changed (a middleware rewrote its arguments, or the tool it names): its message
                records the call as checked, for an audit of the messages to check the same.
            by_person: a person made that change (a reviewer's edit): what the edit holds that the
                model's call does not is the user's word, as in an edit of this node's own question,
                and the model's call is journaled beside it ("written").
        """
        call_id = str(call.get("id") or "")
        tool = _tool_name(call.get("name"))

        def decide() -> ToolMessage:
            try:
                with self._turns.of(thread_id, self.lock_wait_s, call_id):  # checked against the world the thread's last commit left
                    return _holding(self.flow, thread_id, lambda: self._handle(
                        call_id, tool, call.get("args"), state, thread_id, execute or _run, changed_from, by_person))
            except ThreadBusy as busy:  # denied, not hung: nothing of the call ran
                return self.busy(thread_id, call_id, tool, call.get("args"), busy)

        return self._in_span(tool, call_id, state, thread_id, decide)

    def refuse_duplicate(self, call: Mapping[str, Any], state: Any, thread_id: str, at: Any, reason: str) -> ToolMessage:
        """Deny a call whose id another call of its turn holds (`at`: which of them, for its record's key), in its
        own `execute_tool` span, as `handle` would; the same task run again answers it from the journal."""
        call_id = str(call.get("id") or "")
        tool = _tool_name(call.get("name"))
        minted = _minted(f"{call_id}#duplicate-{at}-", 8, tool, _json_or_none(call.get("args")))
        return self._in_span(tool, call_id, state, thread_id, lambda: self._refuse(
            thread_id, minted, tool, call.get("args"), Deny(guard="schema", reason=reason), reply_to=call_id))

    def refuse_busy(self, call: Mapping[str, Any], state: Any, thread_id: str, busy: ThreadBusy) -> ToolMessage:
        """Deny a call whose thread stayed busy past `lock_wait_s` before it reached `handle` (the retrofit gate,
        its flow reading a sent state first), in its own `execute_tool` span, as `handle` denies one (`busy`)."""
        call_id = str(call.get("id") or "")
        tool = _tool_name(call.get("name"))
        return self._in_span(tool, call_id, state, thread_id, lambda: self.busy(thread_id, call_id, tool, call.get("args"), busy))

    def _in_span(self, tool: str, call_id: str, state: Any, thread_id: str, decide: Callable[[], ToolMessage]) -> ToolMessage:
        """`decide()`, the message of one call, inside the call's `execute_tool` span, which it ends with its outcome."""
        with _tracing.span(f"execute_tool {tool}", _call_attributes(tool, call_id)) as span:
            if span is not None:
                _in_conversation(span)
            frame = _Within(state, thread_id, _WITHIN.get())
            token = _WITHIN.set(frame)
            try:
                message = decide()
            finally:
                frame.ended = True
                _WITHIN.reset(token)
            if span is not None:
                _tracing.record_outcome(span, message.artifact["vfa"]["outcome"], message.status == "error",
                                        replayed=frame.replayed)
            return message

    def _traced_denial(self, tool: str, call_id: str, key: str, verdict: Deny, *, replayed: bool = False) -> None:
        """Trace the denial of a call no `handle` ran (a plan's: `record_denial`, `refusals`) as `handle` traces one:
        the call's `execute_tool` span in error, its decision (journaled under `key`) under it; a denial already on
        record (its node run again) is `vfa.replayed`, its decision not traced again."""
        with _tracing.span(f"execute_tool {tool}", _call_attributes(tool, call_id)) as span:
            if span is not None:
                _in_conversation(span)
            if not replayed:
                _tracing.record_decisions([_decision(verdict)], tool, key)
            if span is not None:
                _tracing.record_outcome(span, "denied", True, replayed=replayed)

    def busy(self, thread_id: str, call_id: str, tool: str, raw_args: Any, busy: ThreadBusy) -> ToolMessage:
        """The denial of a call that waited too long for its thread's lock; `CallInFlightError`, nothing
        written, when the run holding it is inside this very call: a denial would be its second outcome."""
        if call_id and self._turns.running(thread_id, call_id):
            raise CallInFlightError(f"call {call_id!r} of {tool!r} on thread {thread_id!r} is being run by another run "
                                    "of this process; nothing was done: resume the thread once that run has finished")
        if not _sound_id(call_id):  # journaled as `_handle` would refuse it: under an id of vfa's, answered to its own
            return self._refuse(thread_id, f"vfa-invalid-{uuid.uuid4().hex}", tool, raw_args, Deny(reason=str(busy)),
                                reply_to=call_id)
        return self._refuse(thread_id, call_id, tool, raw_args, Deny(reason=str(busy)))

    def _handle(self, call_id: str, tool: str, raw_args: Any, state: Any, thread_id: str,
                execute: Execute, changed_from: Any = None, by_person: bool = False) -> ToolMessage:
        if not _sound_id(call_id):
            why = ("has no id" if not call_id else f"has an id of {len(call_id)} characters (at most 256)"
                   if len(call_id) > 256 else f"has an id that is not valid Unicode text ({_repr(call_id, 80)})")
            return self._refuse(thread_id, _minted("vfa-invalid-", 32, tool, call_id, _json_or_none(raw_args)), tool,
                                raw_args, Deny(guard="schema", reason=f"the call of {tool!r} {why}; each tool call needs "
                                               "its own id so that it is committed exactly once"), reply_to=call_id)
        raw_json = _json_or_none(raw_args)  # serialised once: for the size check and the fingerprint
        fingerprint = _fingerprint(tool, raw_args, raw_json)
        history = own_entries(self.journal.entries(thread_id, call_id=call_id))
        if history and history[0].data.get("call") not in (None, fingerprint):
            # The model reused an id for a different call: answering from the journal would report
            # the old call's outcome, so the new one is refused, journaled apart from the old one.
            return self._refuse(thread_id, _minted(f"{call_id}#reused-", 8, fingerprint), tool, raw_args, Deny(
                guard="schema", reason=f"call id {call_id!r} was already used on this thread for another call; "
                "propose it again with a new id"), reply_to=call_id)
        last = history[-1] if history else None
        questions = Questions(self.journal, history, current_task(), max_arg_bytes=self.max_arg_bytes) if history else None
        if last is not None and last.kind in TERMINAL:
            questions.replay((thread_id, call_id, last.tool), finished=True)
            return self._replayed(last, history, state)  # a replayed node: answer as before, act never again
        # A call whose effect started and neither finished nor paused was cut off by a crash; a tool that
        # only paused to ask re-runs from its start: its effect has not begun.
        flight = next((e for e in reversed(history) if e.kind in ("started", "restarted", "paused")), None)
        if flight is not None and self.journal.running(flight):
            # not cut off by a crash: another replica is inside the effect now; going on here would
            # give the call a second outcome (or run it twice)
            raise CallInFlightError(in_flight(flight))
        if questions is not None:
            # its questions take their answers before anything can refuse the call (an argument valid when
            # it was asked about may be no longer: a time now past): answers go by place in the task, and
            # one left untaken would answer the next call's question
            questions.replay((thread_id, call_id, tool), finished=False,
                             started=flight is not None and flight.kind != "paused")

        def refuse(shown: Any, verdict: Deny) -> ToolMessage:
            if questions is not None:  # its tool will not run again: its answers are taken where they stand
                questions.skip_tool_pauses(call_id)
            return self._refuse(thread_id, call_id, tool, shown, verdict, fingerprint=fingerprint, state=state)

        spec = self.specs.get(tool)
        if spec is None:
            known = ", ".join(sorted(self.specs)) or "none"
            return refuse(raw_args, Deny(guard="schema", reason=f"unknown tool {tool!r}; the tools are: {known}"))
        if raw_json is None:
            return refuse(raw_args, Deny(guard="schema", reason=f"arguments of {tool!r} cannot be serialised as JSON"))
        if len(raw_json) > self.max_arg_bytes:
            size = len(raw_json)
            return refuse(f"<{size} bytes>", Deny(
                guard="schema", reason=f"arguments of {tool!r} are {size} bytes, over the limit of {self.max_arg_bytes}",
                evidence={"bytes": size, "limit": self.max_arg_bytes}))
        if nested_over(raw_args, raw_json, MAX_ARG_DEPTH):
            return refuse(f"<nested over {MAX_ARG_DEPTH} levels>", Deny(
                guard="schema", reason=f"arguments of {tool!r} are nested over {MAX_ARG_DEPTH} levels deep",
                evidence={"limit": MAX_ARG_DEPTH}))
        try:
            args, by_value = self._validate(spec, raw_args, thread_id)
        except ArgumentError as exc:
            return refuse(raw_args, Deny(guard="schema", reason=str(exc)))
        edit, written = None, raw_args  # the model's call as written: what a person's edit is told apart from
        if not (isinstance(changed_from, Mapping) and isinstance(raw_args, Mapping)):
            changed_from = None
        reviewed_from = None  # the model's call, when a person edited it before it came here
        if changed_from is not None and by_person and _fits(changed_from, self.max_arg_bytes):
            reviewed_from = written = dict(changed_from)  # (one too large to journal: judged as the model's)
        reviewed = raw_args
        if questions is not None:
            # a person's answers stand whatever the guards say when they check again: a reject ends the
            # call, and the call goes on with the arguments of the last edit
            # the starts cut off that a question about this call named (`_lost`) are answered, whatever the
            # answer: an edit's call, checked again, is no call to ask about them again
            for asked, answer in zip(questions.asked, questions.answers):
                lost = (asked.get("evidence") or {}).get("lost") if asked.get("guard") == "journal" else None
                if isinstance(lost, str):
                    self._end_lost(thread_id, lost, tool, call_id, answer)
            rejected = questions.rejection()
            if rejected is not None:
                if flight is not None:  # paused: its tool will not run again, its answers are taken where they stand
                    questions.skip_tool_pauses(call_id)
                # the edits a guard checked before it, for an audit of the messages to check each, as live
                return self._after(_with_edits(_rejected(Proposal(call_id=call_id, tool=tool, args={}, thread_id=thread_id),
                                                         rejected), history), thread_id, call_id)
            edit = questions.last_edit()
            if edit is not None:
                raw_args = edit.get("args") or {}
                try:
                    args, by_value = self._validate(spec, raw_args, thread_id)
                except ArgumentError as exc:  # an edit first given on this resume: refused as `_decide` refuses it
                    return self._invalid_edit(Proposal(call_id=call_id, tool=tool, args={}, thread_id=thread_id), exc,
                                              questions, state)
        else:
            questions = Questions(self.journal, (), current_task(), max_arg_bytes=self.max_arg_bytes)
        if flight is not None and flight.kind != "paused":
            return self._recover(spec, flight, state, questions, execute, history)
        labels = self._labelled(call_id, tool, args, state, thread_id, raw_args,
                                edited_from=as_asked(spec, written) if edit is not None or reviewed_from else None)
        if isinstance(labels, Deny):  # a flow that cannot label the arguments denies (fail closed)
            if flight is not None:  # a tool waiting for its answer will not run again
                questions.skip_tool_pauses(call_id)
            return self._refuse(thread_id, call_id, tool, raw_args, labels, fingerprint=fingerprint, state=state)
        proposal = Proposal(call_id=call_id, tool=tool, args=args, raw_args=raw_args, thread_id=thread_id, labels=labels,
                            by_value=by_value)
        shape = spec.meta.get(RESULT_SHAPE)  # how the flow read its result (text from a ToolNode): for an audit to read it alike
        # journaled once per run that proposes the call: a call left with a question unanswered and
        # proposed again in a later run is checked again there, from what the model has read since
        pending = []
        if not history or _proposed_again(history, questions.task):
            turn = _turn_of(state, self.messages_key)  # the user message it answers: an audit places it after it
            within = self._within() if self.flow is not None else None
            pending.append(_entry(proposal, "proposed", {"args": raw_args, "call": fingerprint, **(
                {"shape": shape} if shape else {}), **({"turn": turn} if turn else {}), **(
                {"written": written} if reviewed_from else {}), **({"within": within} if within else {})}))
        if edit is not None:  # the rounds before the last edit are done with
            questions.past_last_edit()
        # a tool that paused itself with interrupt() runs again on resume, to receive its answer
        message = self._decide(spec, proposal, state, questions, pending, execute, restart=flight.seq if flight else 0,
                               edited=raw_args if edit is not None else None, written=written)
        info = message.artifact.get("vfa") if isinstance(message.artifact, dict) else None
        if changed_from is not None and isinstance(info, dict):
            # for an audit of the messages, which show the model's call: the call as it reached the guards
            info["reviewed"] = {"tool": tool, "args": reviewed, **({"written": written} if reviewed_from else {})}
        return message

    def _decide(self, spec: ToolSpec, proposal: Proposal, state: Any, questions: Questions, pending: list[Any],
                execute: Execute, *, restart: int = 0, edited: dict[str, Any] | None = None,
                written: Any = None) -> ToolMessage:
        """Verify, ask and commit a call; its message records the arguments of a person's edit (`args`, as
        written), for an audit of the messages to check the call as it was edited, as the journal's does.
        `written`: the model's call as written, which a person's edit is labelled against."""
        last = [edited]
        message = self._rounds(spec, proposal, state, questions, pending, execute, restart, last, written)
        info = message.artifact.get("vfa") if isinstance(message.artifact, dict) else None
        if questions.since is not None:  # asked about, so checked again once the person answered
            self._after(message, proposal.thread_id, proposal.call_id)
        if last[0] is not None and isinstance(info, dict):
            info["args"] = last[0]
            rounds = _edit_rounds(own_entries(self.journal.entries(proposal.thread_id, call_id=proposal.call_id)))
            if len(rounds) > 1:  # every edit a guard checked, for an audit of the messages to check each
                info["edits"] = rounds
        return message

    def _lost(self, spec: ToolSpec, proposal: Proposal, state: Any) -> list[tuple[Escalate, JournalEntry]]:
        """A question for each start of the same tool on the thread that a crash cut off and whose call the
        turn the state's messages end with does not hold (no checkpoint kept it, or the thread went on past
        it: nothing will recover it): the call proposed now may be the model's proposing it again. With no
        messages to read, every such start counts."""
        cut = [e for e in self.journal.cut_off(proposal.thread_id) if e.tool == spec.name and e.call_id != proposal.call_id]
        if not cut:
            return []
        turn = _turn_calls(state, self.messages_key)
        held = None if turn is None else {str(c.get("id")) for c in turn}
        out: list[tuple[Escalate, JournalEntry]] = []
        for e in cut:
            if held is not None and e.call_id in held:
                continue  # its own replay recovers it (`_recover`)
            was = e.data.get("args")
            if proposal.raw_args != was and any(str(c.get("id")) != proposal.call_id and c.get("name") == e.tool
                                                and c.get("args") == was for c in turn or ()):
                continue  # another call of the turn writes it again word for word: that one is asked about it
            question = (f"{e.tool}({json.dumps(e.data.get('args'), default=repr)}) started (journal entry {e.seq}) but "
                        "its result was never recorded, and no saved step holds its call: it may or may not have happened. "
                        f"Approve to run {spec.name}({json.dumps(spec.dump(proposal.args), default=repr)}) now, or reject.")
            out.append((Escalate(guard="journal", question=question, evidence={"lost": e.call_id, "started_at": e.ts}), e))
        return out

    def _end_lost(self, thread_id: str, lost: str, tool: str, call_id: str, decision: Mapping[str, Any]) -> None:
        """End a start cut off by a crash that a person answered about when `call_id` was proposed (`_lost`)."""
        try:
            self.journal.end(thread_id, lost, [(thread_id, lost, tool, "failed", {
                "error": f"cut off by a crash, its call lost with its checkpoint; a person answered {decision.get('type')} "
                         f"about call {call_id}", "lost_to": call_id})])
        except CallInFlightError:  # a replica took it up meanwhile: its outcome is that run's
            pass

    def _after(self, message: ToolMessage, thread_id: str, call_id: str) -> ToolMessage:
        """`message` recording, for a call its guards checked again once a person answered (its task resumed,
        other calls of its turn run meanwhile, as `create_agent` runs them), the calls whose results came
        between its first check and its last, and whether it was checked as proposed again after them (not
        only as a person edited it): for an audit of the messages to check it again where the live guard did."""
        info = message.artifact.get("vfa") if isinstance(message.artifact, dict) else None
        proposed = self.journal.entries(thread_id, call_id=call_id, kinds=("proposed",)) if isinstance(info, dict) else []
        if proposed:
            # from its last proposal on, where `checked_after` reads: not every result the thread holds
            after = checked_after(self.journal.entries(thread_id, after=proposed[-1].seq - 1), call_id)
            if after is not None:
                info["after"] = after
        return message

    def _rounds(self, spec: ToolSpec, proposal: Proposal, state: Any, questions: Questions, pending: list[Any],
                execute: Execute, restart: int, edited: list[dict[str, Any] | None], written: Any) -> ToolMessage:
        # the same tool cut off by a crash on this thread, its call held by no checkpoint (LangGraph's
        # "exit" and "async" durability save the model's turn late): the model may be proposing it again
        # under a new id, and it may have happened; a person says whether this call runs
        lost = self._lost(spec, proposal, state) if spec.is_effect and not restart else []

        def end(entries: list[Any], answer: Callable[[], ToolMessage]) -> ToolMessage:
            # read as never begun: begun meanwhile by another replica and cut off there by a crash, the call is
            # recovered as a resume recovers it (a person asked), never ended as a call that did not run
            recover = (lambda cut: self._recover(spec, cut, state, questions, execute, own_entries(
                self.journal.entries(proposal.thread_id, call_id=proposal.call_id)))) if spec.is_effect and not restart else None
            return self._end(proposal, state, entries, answer, begun_after=0, recover=recover)

        if lost:  # the node's own questions, traced as a guard's are
            _tracing.record_decisions([_decision(q) for q, _ in lost], proposal.tool, proposal.call_id)
        # a resumed call goes on from the last edit a person gave: the rounds those edits took count
        done = sum(a.get("type") == "edit" for a in questions.answers)
        for _round in range(done, self.max_edit_rounds + 1):
            result = self.verify(proposal, state, spec)
            _raise_if_caller_gone(proposal)
            if result.decisions:
                pending.append(_verdicts(proposal, result))
            verdict = result.verdict
            if verdict.kind in ("deny", "repair"):
                if restart:  # its tool will not run again: its answers are taken where they stand
                    questions.skip_tool_pauses(proposal.call_id)
                # as a person's reject is: never beside another replica's commit of the call (one outcome)
                return end(pending + [_entry(proposal, "denied", verdict.model_dump(mode="json"))],
                           lambda: self.denial(proposal, verdict))
            if verdict.kind == "allow" and not lost:
                return self._commit(spec, proposal, pending, execute, restart=restart, questions=questions, state=state)
            # every guard that asked is asked in turn, in chain order: approving one question must not
            # answer another guard's (a privacy question behind a confirmation)
            asks = [*(q for q, _ in lost), *((_questions_of(result) or [verdict]) if verdict.kind == "escalate" else ())]
            if asks and not can_ask():
                # no run to pause (a gated tool called from plain code): nobody can answer, so the call is denied,
                # as a guard that cannot decide denies, and no question is journaled that nobody will answer
                asked = asks[0]
                verdict = Deny(guard=asked.guard, reason=(
                    # its question is not quoted: it may hold what the guard read (a value behind a handle)
                    f"guard {asked.guard!r} asks a person about this call of {proposal.tool!r}, but it was made outside "
                    "a graph run, where nobody can be asked; nothing was run: make the call in a graph compiled with a "
                    "checkpointer, which pauses for the answer"))
                return end(pending + [_entry(proposal, "denied", verdict.model_dump(mode="json"))],
                           lambda: self.denial(proposal, verdict))
            for asked in asks:
                if restart and not questions.answered(proposal, asked):
                    # the tool paused on its own question: a new question now would take the answer meant for
                    # it, so the call ends here, its tool's answers taken (and dropped) where they stand
                    questions.skip_tool_pauses(proposal.call_id)
                    error = f"not run again: guard {asked.guard!r} asked a new question while the tool waited for its own answer"
                    return self._end(proposal, state, pending + [_entry(proposal, "failed", {"error": error})],
                                     lambda: _failed(proposal, error))
                decision = questions.ask(proposal, asked, pending)  # journals the question and the answer
                cut = next((e for q, e in lost if q is asked), None)
                if cut is not None:  # answered: that start is ended, so no later call is asked about it again
                    self._end_lost(cut.thread_id, cut.call_id, cut.tool, proposal.call_id, decision)
                if decision["type"] != "approve":
                    break
            lost = []  # asked once: an edit is checked again by the guards alone
            if decision["type"] == "approve":
                return self._commit(spec, proposal, pending, execute, restart=restart, questions=questions, state=state)
            if decision["type"] == "reject":
                return _rejected(proposal, decision)
            raw_args = decision.get("args") or {}
            try:  # edit: the person's arguments are validated, labelled and verified again like the model's
                args, by_value = self._validate(spec, raw_args, proposal.thread_id)
            except ArgumentError as exc:
                return self._invalid_edit(proposal, exc, questions, state)
            # checked with the edit's own labels: the call's would let an edit move data past the guard
            labels = self._labelled(proposal.call_id, proposal.tool, args, state, proposal.thread_id, raw_args,
                                    edited_from=as_asked(spec, written))
            if isinstance(labels, Deny):
                if restart:  # its tool will not run again: its answers are taken where they stand
                    questions.skip_tool_pauses(proposal.call_id)
                return end(pending + [_entry(proposal, "denied", labels.model_dump(mode="json"))],
                           lambda: self.denial(proposal, labels))
            proposal = proposal.model_copy(update={"args": args, "raw_args": raw_args, "labels": labels, "by_value": by_value})
            edited[0] = raw_args
        ended = {"reason": _TOO_MANY_EDITS, "rounds": self.max_edit_rounds}
        return end(pending + [_entry(proposal, "rejected", ended)], lambda: _edits_refused(proposal, ended))

    def _invalid_edit(self, proposal: Proposal, exc: ArgumentError, questions: Questions, state: Any) -> ToolMessage:
        """A person's edit whose arguments the tool's schema refuses: the call ends rejected."""
        questions.skip_tool_pauses(proposal.call_id)  # its tool will not run again: its answers are taken
        ended = {"type": "edit", "error": str(exc)}
        # the edits a guard checked before it, for an audit of the messages to check each, as live
        return self._end(proposal, state, [_entry(proposal, "rejected", ended)], lambda: _with_edits(
            _edits_refused(proposal, ended), own_entries(self.journal.entries(proposal.thread_id, call_id=proposal.call_id))))

    def verify(self, proposal: Proposal, state: Any, spec: ToolSpec | None = None) -> ChainResult:
        """Run the guard chain on a proposal in the given graph state, without committing anything."""
        spec = spec or self.specs[proposal.tool]
        context = GuardContext(
            state=state if isinstance(state, Mapping) else {"state": state},
            load_world=lambda: self._world(state), tool=spec, thread_id=proposal.thread_id, journal=self.journal,
            load_history=lambda: self._history(proposal.thread_id))
        values = self.values(proposal)
        if isinstance(values, Deny):
            result = ChainResult(values, [Decision(guard=values.guard, verdict=values, latency_s=0.0)])
        elif values is None:
            result = self.chain.verify(proposal, context, spec.guards)
        else:  # judged on what the effect would receive (the history too); told as the model holds it
            thread = proposal.thread_id
            result = self.chain.verify(proposal, context, spec.guards, values=values,
                                       withhold=lambda data: self.flow.withhold(data, thread))
            unfit = None if values is proposal else self._unfit(values, spec)  # a proposal as written was validated
            if unfit is not None and result.verdict.kind not in ("deny", "repair"):
                # after the chain: a flow the privacy guard refuses is the denial that says most
                result = ChainResult(unfit, [*result.decisions, Decision(guard="schema", verdict=unfit, latency_s=0.0)])
        _tracing.record_decisions(result.decisions, proposal.tool, proposal.call_id)
        return result

    def _validate(self, spec: ToolSpec, raw: Any, thread_id: str) -> tuple[dict[str, Any], frozenset[str]]:
        """A call's arguments validated by its tool's schema, and those validated on the values behind
        their handles instead (`validated_by_value`)."""
        return validated_by_value(spec, raw, self.flow, thread_id)

    def values(self, proposal: Proposal) -> Proposal | Deny | None:
        """The proposal as its effect would receive it, handles swapped for what they stand for, for the
        guards that judge values (a precondition must hold for the value the effect is given, not for
        a handle's text); the proposal itself when it holds none but the thread has some (a guard may
        quote one from the history); None when the thread has none; a denial when the flow cannot say
        (fail closed)."""
        flow = self.flow
        values = getattr(flow, "values", None)
        if values is None:
            return None
        try:
            args = values(proposal.args, proposal.thread_id)
            if args is None:  # judged as written; told without the values of the thread's handles
                return proposal if flow.holds_handles(proposal.thread_id) else None
            args = self._by_value(proposal, args)
        except Exception as exc:
            if _is_bubble_up(exc):
                raise
            return Deny(guard="flow", reason=f"the values of {proposal.tool}'s handles could not be read for its "
                        f"guards ({type(exc).__name__}); nothing was run")
        return proposal.model_copy(update={"args": args})

    def _by_value(self, proposal: Proposal, args: dict[str, Any], *, strict: bool = False) -> dict[str, Any]:
        """Resolved arguments with those validated on their values (`Proposal.by_value`) as the schema
        reads them (an amount's handle resolves to the tool's text "120"; the effect is given 120); as
        resolved when they do not fit, for the guards (`_unfit` then refuses the call), unless `strict`."""
        if not proposal.by_value:
            return args
        written = proposal.raw_args
        # the other arguments as written, as they were validated: validated again once decoded, a
        # decoding type (`Json`, a before-validator) would fail or decode twice
        given = ({**written, **{k: args[k] for k in proposal.by_value if k in args}}
                 if isinstance(written, dict) else args)
        try:
            checked = self.specs[proposal.tool].validate(given)
        except ArgumentError:
            if strict:
                raise
            return args
        return {**args, **{k: checked[k] for k in proposal.by_value if k in checked}}

    def _unfit(self, values: Proposal, spec: ToolSpec) -> Deny | None:
        """A denial when the values behind a call's handles do not fit its tool's own schema (it holds
        for what the tool receives, not only for the handles' text); the same words whatever the values."""
        written = values.raw_args
        try:
            # validated as written, handles swapped: the arguments validated once already would decode twice
            resolved = self.flow.values(written, values.thread_id) if isinstance(written, dict) else None
        except Exception as exc:  # the values checked at `values` no longer read: fail closed
            if _is_bubble_up(exc):
                raise
            return Deny(guard="flow", reason=f"the values of {values.tool}'s handles could not be read "
                        f"({type(exc).__name__}); nothing was run")
        try:
            spec.validate(resolved if resolved is not None else written if isinstance(written, dict) else values.args)
        except ArgumentError:
            # the same words whatever the values are: which argument failed and why would tell of them
            # (a dash in one, cents in another), more than the one bit that the call failed
            return Deny(guard="schema", reason="the values behind the handles in the arguments do not fit the tool's "
                        "schema (which and why is not told: it would tell of the values)")
        return None

    def _history(self, thread_id: str) -> list[CommitRecord]:
        """The thread's commits, for guards, their arguments as the effects received them: validated by
        the tool's schema (the journal keeps them as written), and with a flow, handles swapped for their
        values (a guard comparing a call's arguments with earlier ones must read both alike)."""
        values = getattr(self.flow, "values", None)
        out = []
        for r in self.journal.committed(thread_id):
            spec = self.specs.get(r.tool)
            try:  # as the call was validated: on the values behind its handles where their text does not fit
                args, by_value = self._validate(spec, r.args, thread_id) if spec is not None else (r.args, frozenset())
            except ArgumentError:
                args, by_value = r.args, frozenset()
            if values is not None:
                resolved = values(args, thread_id)
                if resolved is not None:
                    args = self._by_value(Proposal(call_id=r.call_id, tool=r.tool, args=args, by_value=by_value,
                                                   raw_args=r.args if isinstance(r.args, dict) else None), resolved)
            out.append(r.model_copy(update={"args": args}))
        return out

    def _commit(self, spec: ToolSpec, proposal: Proposal, pending: list[Any], execute: Execute, *,
                restart: int = 0, questions: Questions | None = None, state: Any = None) -> ToolMessage:
        # The journal keeps the arguments as proposed (handles, not the private values they stand
        # for); only the effect itself receives the resolved ones, resolved as it runs: a handle that
        # no longer resolves fails the call like any error of the tool, before anything is done.
        flow = self.flow
        resolved: list[dict[str, Any]] = []
        # a tool that validates its input itself is given the call as written: validated twice, a decoding
        # type would decode twice (the guards judged what its validation makes of the same text)
        given = proposal.raw_args if spec.takes_written and isinstance(proposal.raw_args, dict) else None

        began: list[bool] = []

        def run() -> Any:
            began.append(True)
            # a tool taking injected arguments is given this call's id and its node's state (`CALLING`)
            frame = _WITHIN.get()
            calling = CALLING.set((proposal.call_id, frame.given if frame is not None else {}))
            try:
                return resolved_and_run()
            finally:
                CALLING.reset(calling)
                if frame is not None:
                    # its effect has returned: a task it left running may call on before the call is journaled
                    # (the caller's loop is free meanwhile), and is inside this call no longer
                    frame.ended = True

        def resolved_and_run() -> Any:
            try:
                return resolved_and_act()
            except ParentCommand as exc:
                # a graph the tool ran handing off to this one (`Command.PARENT`) after the tool's work was done:
                # it is the tool's output, as a Command the tool returned is, and ends the call (raised on, it
                # left the call "paused", so a replay of the node ran the effect again). Under a flow its
                # update would land in the state past the flow (messages read as the user's or the model's
                # own): it is labelled and shown as the flow's text
                return exc.args[0]

        def resolved_and_act() -> Any:
            if flow is None:
                return act(dict(given) if given is not None else proposal.args)
            if given is not None:
                args = flow.resolve(proposal.model_copy(update={"args": given}))
            else:
                args = self._by_value(proposal, flow.resolve(proposal), strict=True)
            resolved.append(args)
            if _is_langchain_tool(spec.source):  # not a plain function (one that validates its call too)
                with _without_graph_streams():
                    return act(args)
            with _without_callbacks():
                return act(args)

        start = questions.tool_start() if restart and questions is not None else None

        def act(args: dict[str, Any]) -> Any:
            if start is None:
                return execute(spec, args)
            try:  # a tool run again to take its answers may ask less this time: the rest are taken
                result = execute(spec, args)
            except BaseException as exc:
                if not _is_bubble_up(exc):
                    questions.take_tool_answers_left(start)
                raise
            questions.take_tool_answers_left(start)
            return result

        # An error message may quote the resolved (private) values: the flow rewrites it like a result.
        # Its cause (as raised, for a rebuild or an audit to label again) is recorded only when the tool
        # was given no resolved value: the journal keeps handles, never what they stand for
        redact = (lambda text: self._observe_error(proposal, spec, text)) if flow is not None else None
        judged = given if given is not None else proposal.args
        cause = (lambda text: text if resolved and resolved[-1] == judged else None) if flow is not None else None
        reprs: dict[str, str] | None = None  # an effect's: worked out by the journal, and again below
        if spec.is_effect:
            written = proposal.raw_args if proposal.raw_args is not None else spec.dump(proposal.args)
            ok, result = self.journal.commit(proposal.thread_id, proposal.call_id, spec.name, written,
                                             run, pending=pending, restart=restart,
                                             tag={"task": current_task()}, redact=redact, cause=cause)
            if not began:  # nothing run: another run ended the call first and `commit` handed back its outcome
                own = own_entries(self.journal.entries(proposal.thread_id, call_id=proposal.call_id))
                if own and own[-1].kind in TERMINAL:
                    _answered_from_journal()
                elif questions is not None:
                    cut = next((e for e in reversed(own) if e.kind in ("started", "restarted")), None)
                    if cut is not None and cut.seq > restart and not self.journal.running(cut):
                        # another replica began it after this run read the call, and a crash cut it off there: it
                        # may have happened, so it is recovered as a resume recovers it, never shown as failed
                        return self._recover(spec, cut, state, questions, execute, own)
        else:  # a read-only tool: no write-ahead record is needed, only the record of what it returned
            try:
                ok, result = True, run()
            except Exception as exc:  # the tool's own failure goes back to the model as an error
                if _is_bubble_up(exc):
                    # the tool called interrupt(): journaled as an effect's pause is, so that a replay
                    # takes its answer where it stands and the next call's questions get theirs
                    self.journal.append(pending + [_entry(proposal, "paused", {
                        "by": "tool", **pause_of(exc), "task": current_task()})])
                    pending.clear()
                    raise
                failed = failure(error_text(exc), redact, cause)
                ok, result = False, failed["error"]
            value, reprs = recorded(result) if ok else (result, {})
            entries = pending + [_entry(proposal, "ran" if ok else "failed", result_data(value, reprs) if ok else failed)]
            if questions is not None and questions.asked:
                # asked about, so another replica may have ended it since (a person's reject there): the
                # read is dropped unseen and that outcome stands; a call never asked about is not checked
                earlier = self.journal.end(proposal.thread_id, proposal.call_id, entries)
                if earlier is not None:
                    return self._replayed(earlier, own_entries(self.journal.entries(proposal.thread_id,
                                                                                    call_id=proposal.call_id)))
            else:
                self.journal.append(entries)
            if value is not result:  # shown and labelled as recorded: a replay, a rebuild and an audit read the same
                result = with_reprs(value, reprs)
        if ok:
            # with how the flow read it (a ToolNode's text): an audit of the messages reads it alike
            return _as_ran(_message(proposal, "committed" if spec.is_effect else "ran",
                                    self._observe(proposal, spec, result)), (), spec, result, reprs,
                           self._hidden_label(proposal))
        if spec.is_effect:
            own = own_entries(self.journal.entries(proposal.thread_id, call_id=proposal.call_id))
            last = own[-1] if own else None
            if last is not None and last.kind in ("denied", "rejected"):
                # another run ended it before this one could start it (a person's reject, a denial): as recorded
                return self._replayed(last, own)
            if last is not None and last.kind == "failed" and isinstance(last.data.get("verdict"), dict):
                # another replica denied it on recovery from a crash: its reason reads as the denial it is
                return self._replayed(last, (), None)
        return _message(proposal, "failed", f"{spec.name} failed: {result}", status="error")

    def _recover(self, spec: ToolSpec, last: JournalEntry, state: Any, questions: Questions,
                 execute: Execute, history: Sequence[JournalEntry]) -> ToolMessage:
        """A commit began but its result was never recorded: the process stopped during the effect.

        The call is verified again (the world may have changed); an idempotent effect then runs
        again, any other only if a person says so, since it may or may not have happened.
        """
        written = last.data.get("args")
        try:  # journaled as written: validated again, the tool gets the values it was first given
            args, by_value = self._validate(spec, written, last.thread_id)
        except ArgumentError as exc:
            args, by_value, labels = {}, frozenset(), Deny(guard="schema", reason=f"its journaled arguments no longer fit {spec.name!r}: {exc}")
        else:
            labels = self._labelled(last.call_id, spec.name, args, state, last.thread_id, written,
                                    edited_from=as_asked(spec, _model_call(history)))
        proposal = Proposal(call_id=last.call_id, tool=spec.name, args=args, thread_id=last.thread_id,
                            raw_args=written if isinstance(written, dict) else None,
                            labels=labels if not isinstance(labels, Deny) else {}, by_value=by_value)
        if isinstance(labels, Deny):
            result = ChainResult(labels, [])
        else:
            result = self.verify(proposal, state, spec)
            _raise_if_caller_gone(proposal)  # as `_rounds`: a check cut off with its caller's run is no verdict
        pending = [_verdicts(proposal, result)] if result.decisions else []
        if result.verdict.kind in ("deny", "repair"):
            questions.skip_tool_pauses(last.call_id)  # its tool will not run again: its answers are taken
            # the started effect ends `failed` (what `commit` knows: nothing runs it again), with the
            # denial beside it, so a replay shows the text the flow showed, not the reason in clear
            verdict = result.verdict.model_copy(update={
                "reason": f"interrupted by a crash and not run again: {result.verdict.reason}"})
            return self._end(proposal, state, pending + [_entry(proposal, "failed", {
                "error": verdict.reason, "verdict": verdict.model_dump(mode="json")})], lambda: self.denial(proposal, verdict))
        if spec.idempotent and result.allowed:  # run again: its tool takes its own answers where they stand
            return self._commit(spec, proposal, pending, execute, restart=last.seq, questions=questions, state=state)
        if questions.tool_pauses:
            # its tool had asked the person before the crash: a question now would come after the tool's
            # answers, where a replay (questions first, then the tool's pauses) would not find it
            questions.skip_tool_pauses(last.call_id)
            error = "interrupted by a crash after it asked you, and not run again: it may or may not have happened"
            return self._end(proposal, state, pending + [_entry(proposal, "failed", {"error": error})],
                             lambda: _failed(proposal, error))
        if not can_ask():
            # no run to pause (a call made again from plain code): nobody can say whether it runs again, so it is
            # not, and no question is journaled that nobody will answer (as `_rounds` denies a guard's question)
            error = ("interrupted by a crash, and made again outside a graph run, where nobody can be asked whether "
                     "to run it again: not run again (it may or may not have happened)")
            return self._end(proposal, state, pending + [_entry(proposal, "failed", {"error": error})],
                             lambda: _failed(proposal, error))
        # every guard that asks, each in turn, as `_decide` asks them: each answer is its question's own (one
        # answered before the crash is found answered); an idempotent effect runs again without asking whether it ran
        asks = _questions_of(result)
        if not spec.idempotent:
            # the attempt is named in the question: an approval to run again after one crash is no answer after the next
            question = (f"{spec.name}({json.dumps(spec.dump(args), default=repr)}) started (journal entry {last.seq}) but "
                        "its result was never recorded: it may or may not have happened. Approve to run it again, or "
                        "reject to leave it as it is.")
            verdict = Escalate(guard="journal", question=question, evidence={"started_at": last.ts, "idempotent": False})
            _tracing.record_decisions([_decision(verdict)], spec.name, last.call_id)  # the node's own question, as a guard's
            asks = [verdict, *asks]
        decision: dict[str, Any] = {"type": "reject"}  # (no question and not allowed: not run again, fail closed)
        for asked in asks:
            decision = questions.ask(proposal, asked, pending)
            if decision["type"] != "approve":
                break
        if decision["type"] == "approve":
            return self._commit(spec, proposal, pending, execute, restart=last.seq, questions=questions, state=state)
        error = "interrupted by a crash and left unfinished by a person: not run again"
        return self._end(proposal, state, [_entry(proposal, "failed", {"error": error})], lambda: _failed(proposal, error))

    def _end(self, proposal: Proposal, state: Any, entries: list[Any], answer: Callable[[], ToolMessage], *,
             begun_after: int | None = None, recover: Callable[[JournalEntry], ToolMessage] | None = None) -> ToolMessage:
        """Journal `entries`, which end a call (a denial, or a start a crash cut off), and give `answer()`; or,
        when another replica ended the call first (it ran it, or ended it otherwise), answer as a replay would;
        `CallInFlightError`, nothing written, while another run is inside it. `begun_after` (with `recover`): the
        call was read as not begun since that seq; a start another run wrote since, cut off there by a crash, is
        `recover`ed instead (it may have happened: never ended as a call that did not run)."""
        earlier = self.journal.end(proposal.thread_id, proposal.call_id, entries,
                                   begun_after=begun_after if recover is not None else None)
        if earlier is None:
            return answer()
        if earlier.kind in ("started", "restarted") and recover is not None:
            return recover(earlier)
        return self._replayed(earlier, own_entries(self.journal.entries(proposal.thread_id, call_id=proposal.call_id)), state)

    def _refuse(self, thread_id: str, call_id: str, tool: str, raw_args: Any, verdict: Deny, *,
                reply_to: str | None = None, fingerprint: str | None = None, state: Any = None) -> ToolMessage:
        """Deny a call before any guard runs; journaled under `call_id`, answered to `reply_to`."""
        proposal = Proposal(call_id=call_id, tool=tool, args={}, thread_id=thread_id)
        raw_json = _json_or_none(raw_args)
        if fingerprint is None:
            fingerprint = _fingerprint(tool, raw_args, raw_json)
        args = _journaled_args(raw_args, raw_json, self.max_arg_bytes)
        entries = [_entry(proposal, "proposed", {"args": args, "call": fingerprint}),
                   _entry(proposal, "denied", verdict.model_dump(mode="json"))]
        # checked and written in one transaction: another replica may have ended the call since this run read it
        # (the model's id), or refused it when its task ran before or runs on another replica (an id of its own,
        # made here for this call in this task, `_minted`): answered as then, neither journaled nor traced again
        earlier = self.journal.end(thread_id, call_id, entries)
        if earlier is not None:
            message = self._replayed(earlier, own_entries(self.journal.entries(thread_id, call_id=call_id)), state)
            if reply_to is not None:
                message.tool_call_id = reply_to
                message.artifact["vfa"]["call_id"] = call_id
            return message
        _tracing.record_decisions([_decision(verdict)], tool, call_id)
        message = self.denial(proposal, verdict, own=True)
        if reply_to is not None:
            message.tool_call_id = reply_to  # the model's own id, so its message pairs with its call
            message.artifact["vfa"]["call_id"] = call_id  # and the journal's, where its denial is on record
        return message

    def _labels(self, call_id: str, tool: str, args: dict[str, Any], state: Any, thread_id: str,
                raw_args: Any = None, edited_from: Any = None) -> dict[str, Label]:
        """The flow's labels of a call's arguments (none without a flow); `raw_args`: as written;
        `edited_from`: for a person's edit, the model's call as written (see `Flow`)."""
        if self.flow is None:
            return {}
        call = {"name": tool, "args": args, "id": call_id, "raw_args": raw_args}
        if edited_from is not None:
            call["edited_from"] = edited_from
        frame = _WITHIN.get()
        outer = frame.outer if frame is not None else None
        if outer is not None:  # made from inside another call's effect (an agent used as a tool)
            call["within"] = {"state": outer.state, "thread_id": outer.thread_id, "label": outer.made_from()}
        labels = dict(self.flow.label(call, state, thread_id))
        if frame is not None:
            frame.labels = labels  # what a call made from inside this one's effect is made from
        return labels

    def _within(self) -> dict[str, Any] | None:
        """For a call made from inside another call's effect, what its labels were made from, for an audit
        of the journal to label it alike: the outermost conversation (its thread and the user message its
        call answered) and the join of the labels of the calls it was made inside (no value)."""
        frame = _WITHIN.get()
        outer = frame.outer if frame is not None else None
        if outer is None:
            return None
        turn = _turn_of(outer.state, self.messages_key)
        return {"thread": outer.thread_id, **({"turn": turn} if turn else {}),
                "label": outer.made_from().model_dump(mode="json")}

    def _labelled(self, call_id: str, tool: str, args: dict[str, Any], state: Any, thread_id: str,
                  raw_args: Any = None, *, edited_from: Any = None) -> dict[str, Label] | Deny:
        """`_labels`, or the denial of a call whose arguments the flow cannot label (fail closed)."""
        try:
            return self._labels(call_id, tool, args, state, thread_id, raw_args, edited_from)
        except Exception as exc:
            if _is_bubble_up(exc):
                raise
            return Deny(guard="flow", reason=f"the arguments of {tool!r} could not be labelled "
                        f"({type(exc).__name__}); nothing was run")

    def _observe_error(self, proposal: Proposal, spec: ToolSpec | None, text: str) -> str:
        observe = getattr(self.flow, "observe_error", None)
        if observe is None:
            return self._observe(proposal, spec, text)
        return _shown(lambda: observe(proposal, spec, text), "the error")

    def record_denial(self, proposal: Proposal, verdict: Deny, state: Any = None) -> str:
        """Journal a call a guard denied before it reached this node (a rejected plan's) as the node journals
        a guard's denial: proposed, its verdicts, denied; for the journal's audit to check it as the
        messages' audit does. It is keyed apart from the call's id, by the id, the call and the task (`_minted`):
        the call was never judged here, so a later plan's call of that id runs, and a later plan's rejection is
        journaled too; a call the journal holds already under its key (its task run again: a crash and replay,
        another replica) is left as it is. Returns the key (for the denial's message to record, as a refusal
        under a key of its own does: `_refuse`)."""
        raw = proposal.raw_args if proposal.raw_args is not None else proposal.args
        raw_json = _json_or_none(raw)
        # whole, whatever its size: unlike the node's own refusals (left out of both audits), it is journaled for
        # the journal's audit to check what the plan proposed, as the messages' audit checks the plan's message
        args = raw if isinstance(raw, dict) and raw_json is not None else {"raw": _repr(raw, 200)}
        fingerprint = _fingerprint(proposal.tool, raw, raw_json)
        key = _minted(f"{proposal.call_id}#plan-", 12, fingerprint)
        model_id, proposal = proposal.call_id, proposal.model_copy(update={"call_id": key})
        turn = _turn_of(state, self.messages_key)  # the user message it answers: an audit places it after it
        # checked and written in one transaction: another replica may be running the same task
        filed = self.journal.end(proposal.thread_id, proposal.call_id, [
            _entry(proposal, "proposed", {"args": args, "call": fingerprint, **({"turn": turn} if turn else {})}),
            _verdicts(proposal, ChainResult(verdict, [_decision(verdict)])),
            _entry(proposal, "denied", verdict.model_dump(mode="json"))]) is not None
        self._traced_denial(_tool_name(proposal.tool), model_id, proposal.call_id, verdict, replayed=filed)
        return proposal.call_id

    def refusals(self, proposals: Sequence[Proposal], verdict: Deny, tag: str) -> list[ToolMessage]:
        """Refuse calls no guard judged (a graph's own answers: a malformed plan's calls, a stopped plan's later
        steps), each journaled as `_refuse` journals one under a key of its own (`<id>#<tag>-<hex>`: the model's
        id stays free for a later call), made from the call, its place and the task (`_minted`), so the task run
        again (a crash and replay, another replica) answers it from the journal, neither journaled nor traced
        again; each message answers the model's id and records the key: a message claiming a denial answers a
        call on record (a flow takes one that answers none for a result no node wrote, `PrivacyFlow.scan`)."""
        messages = []
        for i, p in enumerate(proposals):
            usable = 0 < len(p.call_id) <= 256 and _storable(p.call_id)
            tool = p.tool if len(p.tool) <= MAX_TOOL_NAME and _storable(p.tool) else repr(p.tool)[:64]
            raw_json = _json_or_none(p.args)
            key = (_minted(f"{p.call_id}#{tag}-", 8, i, tool, raw_json) if usable
                   else _minted("vfa-invalid-", 32, i, tool, repr(p.call_id), raw_json))
            refused = Proposal(call_id=key, tool=tool, args={}, thread_id=p.thread_id)
            earlier = self.journal.end(p.thread_id, key, [
                _entry(refused, "proposed", {
                    "args": _journaled_args(p.args, raw_json, self.max_arg_bytes),
                    "call": _fingerprint(tool, p.args, raw_json)}),
                _entry(refused, "denied", verdict.model_dump(mode="json"))])
            if earlier is None:
                message = self.denial(p, verdict, own=True)
            else:
                message = self._replayed(earlier, own_entries(self.journal.entries(p.thread_id, call_id=key)))
                message.tool_call_id = p.call_id
            message.artifact["vfa"]["call_id"] = key
            messages.append(message)
            self._traced_denial(tool, p.call_id, key, verdict, replayed=earlier is not None)
        return messages

    def denial(self, proposal: Proposal, verdict: Any, *, own: bool = False) -> ToolMessage:
        """The denial's message, its text as the flow shows it: a guard's reason may quote what the
        model may not read (a private world value), and the artifact then holds no more than the text.
        `own`: the node's own refusal of a malformed call, before any guard (its reason quotes only the
        call and the node's limits): shown as it is."""
        message = _denial(proposal, verdict)
        if own:  # told apart from a guard's denial (an audit of the messages leaves the call out, as live)
            message.artifact["vfa"]["by"] = "node"
        observe = getattr(self.flow, "observe_denial", None)
        if observe is not None and not own:
            try:
                text = observe(proposal, message.content)
            except Exception as exc:
                if _is_bubble_up(exc):
                    raise
                text = (f"{proposal.tool} denied by guard {verdict.guard!r}; its reason could not be labelled "
                        f"({type(exc).__name__}), so it is not shown")
            message.content = text
            message.artifact["vfa"]["verdict"] = {"guard": verdict.guard, "kind": verdict.kind, "reason": text}
        return message

    def _hidden_label(self, proposal: Proposal) -> dict[str, Any] | None:
        """How the flow labelled the call's result if it showed it as one handle (its `hidden_label`)."""
        read = getattr(self.flow, "hidden_label", None)
        return read(proposal.thread_id, proposal.call_id) if read is not None else None

    def _observe(self, proposal: Proposal, spec: ToolSpec | None, result: Any) -> str:
        if self.flow is None:
            return _content(result)
        return _shown(lambda: self.flow.observe(proposal, spec, result), f"{proposal.tool} ran, but its result")

    def _replayed(self, entry: JournalEntry, history: Sequence[JournalEntry], state: Any = None) -> ToolMessage:
        """The message of a call answered from the journal's record of it (its node run again, or another replica
        ended it first); its span says so (`vfa.replayed`): the run that decided the call traced its outcome."""
        _answered_from_journal()
        data = entry.data
        proposal = Proposal(call_id=entry.call_id, tool=entry.tool, args={}, thread_id=entry.thread_id)
        if entry.kind in ("committed", "ran"):
            # observe() sees the call as it was proposed (or edited), labelled, as on the first run;
            # the values JSON could not carry are objects again, as they were then
            made = next((e for e in reversed(history) if e.kind in ("edited", "proposed")), None)
            args = made.data.get("args") if made is not None else None
            result = recorded_result(data)
            if self.flow is None:
                return _as_ran(_message(proposal, entry.kind, _content(result)), history,
                               self.specs.get(entry.tool), result)

            def shown() -> str:  # labelling that fails shows nothing, as on the first run
                if not isinstance(args, dict):
                    call = proposal
                else:  # journaled as written: validated as on the first run
                    valid = as_validated(self.specs.get(entry.tool), args)
                    call = proposal.model_copy(update={"args": valid, "raw_args": args, "labels": self._labels(
                        entry.call_id, entry.tool, valid, state, entry.thread_id, args,
                        _model_call(history) if made.kind == "edited" else None)})
                return self.flow.observe(call, self.specs.get(entry.tool), result)

            message = _message(proposal, entry.kind, _shown(shown, f"{entry.tool} ran, but its result"))
            return _as_ran(message, history, self.specs.get(entry.tool), result, hidden=self._hidden_label(proposal))
        if entry.kind == "denied" or isinstance(data.get("verdict"), dict):
            # the call as it was written: its words are withheld from the reason as on the first run (a
            # flow that never labelled the thread, on another replica or after a restart, has no text kept)
            made = next((e for e in reversed(history) if e.kind in ("edited", "proposed")), None)
            written = made.data.get("args") if made is not None else None
            if isinstance(written, dict):
                proposal = proposal.model_copy(update={"args": written, "raw_args": written})
        if entry.kind == "denied":
            return self.denial(proposal, denied_verdict(data), own=refused_by_node(history))
        if entry.kind == "rejected":  # as it was first answered: a person's rejection, an invalid edit, too many edits
            message = _edits_refused(proposal, data, self.max_edit_rounds) or _rejected(proposal, data)
            return _with_edits(message, history)  # the edits its guards checked, as on the first run
        if isinstance(data.get("verdict"), dict):  # denied when recovered from a crash: as first shown
            return self.denial(proposal, denied_verdict(data["verdict"]))
        return _message(proposal, "failed", f"{entry.tool} failed: {data.get('error')}", status="error")


def thread_key(config: Mapping[str, Any] | None, state: Any = None, messages_key: str = "messages") -> str:
    """The journal's thread key for a LangGraph run config: its thread id, or else its run's.

    Without a thread there is no resume across runs, so each run gets its own key: one run's call
    ids (scripted models reuse them) never answer another run's calls, while a retried task (a
    RetryPolicy) keeps its key and does not commit again what it already committed. A run is known
    by the ids of the messages it was given (those before the first AI message; the messages reducer
    gives every message one), the same at every step of the run, so what one step observed (e.g. the
    labels of a result) is there at the next. All of them, not the first alone: an app may open every
    run with one shared system message, whose id the reducer stamps once. That holds as long as those
    messages stay: a step that removes them all gives the run a new key, with nothing observed under
    it (give such a run a thread id). A state without messages falls back to the task's own key.
    Message ids a client chose are the client's: two users who send the same ones get one key, so a
    multi-user app gives every run a thread id naming its user (docs/privacy.md, "Many users").
    """
    configurable = (config or {}).get("configurable") or {}
    thread = configurable.get("thread_id")
    if thread is not None:
        key = str(thread)
        if not _storable(key):  # refused here, before any of the run's work: the journal cannot file it
            raise ConfigError(f"thread_id {key!r} cannot be journaled: it is not valid text (it holds a lone "
                              f"surrogate, as bytes that are not UTF-8 decode to)")
        return key
    messages = state.get(messages_key) if isinstance(state, Mapping) else getattr(state, messages_key, None)
    ids: list[str] = []
    for m in messages if isinstance(messages, list) else ():
        if isinstance(m, AIMessage) and ids:
            break
        mid = getattr(m, "id", None)
        if not (isinstance(mid, str) and mid):
            ids = []
            break  # a message without an id: no key the next step would give again
        ids.append(mid)
    if ids:
        return "unthreaded-run-" + hashlib.sha256("\0".join(ids).encode()).hexdigest()[:32]
    return f"unthreaded-{configurable.get('__pregel_task_id') or uuid.uuid4().hex}"


_TOO_MANY_EDITS = "too many edit rounds"
"""The reason journaled for a call a person edited more often than `max_edit_rounds`."""


def _edits_refused(proposal: Proposal, ended: Mapping[str, Any], rounds: int | None = None) -> ToolMessage | None:
    """The message of a call that a person's edits ended rejected (an edit its schema refused, too many
    edits), from the journal entry's data (`ended`), live and replayed alike; None for another rejection.
    `rounds`: the edits allowed, for an entry written before it recorded them."""
    if ended.get("type") == "edit" and "error" in ended:
        return _message(proposal, "rejected", f"the edited arguments were invalid: {ended['error']}", status="error")
    if ended.get("reason") == _TOO_MANY_EDITS:
        return _message(proposal, "rejected", f"{proposal.tool} was not committed after {ended.get('rounds', rounds)} "
                        "edits", status="error")
    return None


def refused_by_node(history: Sequence[JournalEntry]) -> bool:
    """Whether a call's denial is the node's own refusal, not a guard's: the node journals a refusal
    right after the proposal it refuses, a guard's denial comes after the round's verdicts. Known from
    what the node wrote, never from a name a guard could give itself."""
    kinds = [e.kind for e in history]
    last = len(kinds) - 1 - kinds[::-1].index("denied") if "denied" in kinds else -1
    return last > 0 and kinds[last - 1] == "proposed"


def _decision(verdict: Any) -> Decision:
    return Decision(guard=verdict.guard, verdict=verdict, latency_s=0.0)


def _world_provider(world: Any) -> Callable[[Any], Any]:
    if not callable(world) or isinstance(world, type):
        return lambda state: world
    if inspect.iscoroutinefunction(world) or inspect.iscoroutinefunction(getattr(world, "__call__", None)):
        # read inside a guard's budget, by sync code (`GuardContext.world`): every guard would be given a coroutine
        raise ConfigError(f"the world provider {getattr(world, '__name__', world)!r:.80} is async; the guards read the "
                          "world synchronously: give a sync function (or an object the app keeps up to date)")
    try:
        n = len(inspect.signature(world).parameters)
    except (TypeError, ValueError):
        n = 0
    provider = world if n >= 1 else (lambda state: world())

    def read(state: Any) -> Any:
        got = provider(state)
        if inspect.isawaitable(got):  # a sync function handing on an async read: denied, not judged as the world
            close = getattr(got, "close", None)
            if close is not None:
                close()  # never awaited: closed, not left for Python to warn about
            raise TypeError(f"the world provider returned {type(got).__name__}, not the world: the guards read it "
                            "synchronously; give a sync function")
        return got

    return read


def _proposed_again(history: Sequence[JournalEntry], task: str) -> bool:
    """Whether a call with a history is proposed by a run that never handled it before (the entries of
    every run that asked, paused or started it name that run's task); a run resumed with an answer did."""
    return bool(task) and not any(e.data.get("task") == task for e in history)


def _verdicts(proposal: Proposal, result: ChainResult) -> tuple[str, str, str, str, Any]:
    """The journal entry of one verification round: the chain's verdict and every guard's decision, in order."""
    return _entry(proposal, "verdicts", {"verdict": result.verdict.kind,
                                         "decisions": [_decision_data(d) for d in result.decisions]})


def _decision_data(d: Decision) -> dict[str, Any]:
    """A decision as its journal record holds it (`model_dump(mode="json")`)."""
    v = d.verdict
    if v.__class__ is Allow and not v.evidence:  # most decisions: the same dict without a pydantic round trip per guard
        return {"guard": d.guard, "verdict": {"guard": v.guard, "kind": "allow"}, "latency_s": d.latency_s}
    return d.model_dump(mode="json")


def _entry(proposal: Proposal, kind: str, data: Any) -> tuple[str, str, str, str, Any]:
    return (proposal.thread_id, proposal.call_id, proposal.tool, kind, data)


@contextmanager
def _without_callbacks() -> Iterator[None]:
    """Run a plain function given the values behind handles without the run's LangChain callbacks and
    stream: what it calls through LangChain (a writing model, a chain) would report those values to the
    `messages` stream, `astream_events` and every tracer, and a graph it runs (a helper agent) would stream
    its state, holding them, on the run's streams (`subgraphs=True`), where the model's own messages show
    handles. The rest of its `configurable` stays (a question it asks, a graph it runs keep their place)."""
    config = var_child_runnable_config.get()
    conf = (config or {}).get("configurable") or {}
    if not config or (config.get("callbacks") is None and CONFIG_KEY_STREAM not in conf):
        yield
        return
    token = var_child_runnable_config.set({
        **{k: v for k, v in config.items() if k != "callbacks"},
        "configurable": {k: v for k, v in conf.items() if k != CONFIG_KEY_STREAM}})
    try:
        yield
    finally:
        var_child_runnable_config.reset(token)


def _raise_if_caller_gone(proposal: Proposal) -> None:
    """Raise `CancelledError` once the guards decided if the call's `ainvoke` was cancelled meanwhile: nothing is
    journaled, as `EffectJournal.commit` writes nothing for an allow, so resuming verifies the call again (a
    denial kept would answer the resumed thread for good, a check cut off with the caller's loop taken for its
    guard's verdict)."""
    if caller_gone():
        raise asyncio.CancelledError(f"the run of call {proposal.call_id!r} was cancelled while its guards decided; "
                                     "nothing was journaled")


def without_graph_streams(config: Any) -> Any:
    """`config` with LangGraph's stream handlers left out of its callbacks, for a LangChain tool run on the values
    behind handles: LangChain hands a tool's input and output, and a model's tokens it runs, to the run's
    callbacks as they are, and the graph's `tools` and `messages` stream modes are fed by two of them, so a chat
    UI streaming those would show what the model and every other stream see as handles; nor is the run's stream
    in its `configurable` (`CONFIG_KEY_STREAM`), through which a graph the tool runs (a helper agent) streams its
    state on the run's streams (`subgraphs=True`), as `_without_callbacks` leaves it out for a plain function. The
    app's own callbacks (tracers, `astream_events`) stay: a stated limit (docs/privacy.md, "Logs")."""
    if not isinstance(config, Mapping):
        return config
    conf = config.get("configurable")
    if isinstance(conf, Mapping) and CONFIG_KEY_STREAM in conf:
        config = {**config, "configurable": {k: v for k, v in conf.items() if k != CONFIG_KEY_STREAM}}
    callbacks = config.get("callbacks")
    if callbacks is None:
        return config
    if isinstance(callbacks, (list, tuple)):
        kept = [h for h in callbacks if not isinstance(h, _GRAPH_STREAMS)]
        return config if len(kept) == len(callbacks) else {**config, "callbacks": kept}
    streams = [h for h in [*getattr(callbacks, "handlers", ()), *getattr(callbacks, "inheritable_handlers", ())]
               if isinstance(h, _GRAPH_STREAMS)]
    if not streams:
        return config
    kept = callbacks.copy()
    for handler in streams:
        kept.remove_handler(handler)
    return {**config, "callbacks": kept}


@contextmanager
def _without_graph_streams() -> Iterator[None]:
    """Run what reads the run's config from the context (a LangChain tool the `Agent` runs) without LangGraph's
    stream handlers (`without_graph_streams`)."""
    config = var_child_runnable_config.get()
    kept = without_graph_streams(config)
    if kept is config:
        yield
        return
    token = var_child_runnable_config.set(kept)
    try:
        yield
    finally:
        var_child_runnable_config.reset(token)


def _run(spec: ToolSpec, args: dict[str, Any]) -> Any:
    result = spec.fn(**args)
    if inspect.isawaitable(result):
        result = _on_callers_loop(result)
    # a lazy result (a generator object, `map`, an async generator) holds the tool's work, which runs only as
    # it is iterated: iterated here, inside the commit, so the journal never records committed work that has
    # not run (nor does it run later, past the commit, in whatever iterates it)
    if isinstance(result, AsyncIterator):
        return _on_callers_loop(_collected(result))
    if isinstance(result, Iterator) and not isinstance(result, io.IOBase):  # a file is a result, not work left
        return list(result)
    return result


def _on_callers_loop(awaitable: Any) -> Any:
    loop = getattr(_LOCAL, "loop", None)
    if loop is not None:  # called from _afunc's worker: run on the caller's event loop
        return on_loop(awaitable, loop)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_awaited(awaitable))
    if inspect.iscoroutine(awaitable):
        awaitable.close()  # never started: nothing ran, and no "never awaited" warning
    # a sync run (`invoke`) from inside an event loop (a notebook, an async app) cannot wait on it there
    raise RuntimeError("an async tool was called by a sync run inside a running event loop, where it cannot be "
                       "awaited: run the graph with ainvoke/astream instead of invoke/stream")


async def _collected(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


def _with_edits(message: ToolMessage, history: Sequence[JournalEntry]) -> ToolMessage:
    """`message` recording the arguments of the edits a person gave its call that its guards checked (`args`,
    the last; `edits`, each when several), for an audit of the messages to check the call as edited."""
    rounds = _edit_rounds(history)
    if rounds:
        info = message.artifact["vfa"]
        info["args"] = rounds[-1]
        if len(rounds) > 1:
            info["edits"] = rounds
    return message


def checked_after(entries: Sequence[JournalEntry], call_id: str) -> dict[str, Any] | None:
    """For the last proposal of `call_id` in a thread's entries: the other calls whose results (or errors)
    were journaled between its first check and its last ("calls"), and whether a check of it as proposed
    (before a person's edit) came after one of them ("again"); None when none came between."""
    start = next((i for i in range(len(entries) - 1, -1, -1)
                  if entries[i].call_id == call_id and entries[i].kind == "proposed"), None)
    if start is None:
        return None
    checks = [i for i in range(start, len(entries)) if entries[i].call_id == call_id and entries[i].kind == "verdicts"]
    if len(checks) < 2:
        return None
    calls: list[str] = []
    again, edited = False, False
    for e in entries[checks[0] + 1:checks[-1] + 1]:
        if e.call_id == call_id:
            edited = edited or e.kind == "edited"
            again = again or (e.kind == "verdicts" and bool(calls) and not edited)
        elif e.call_id not in calls and (e.kind in ("ran", "committed") or (e.kind == "failed" and "verdict" not in e.data)):
            calls.append(e.call_id)
    return {"calls": calls, "again": again} if calls else None


def _edit_rounds(history: Sequence[JournalEntry]) -> list[dict[str, Any]]:
    """The arguments of each edit a person gave a call that its guards then checked, in order: an edit
    the tool's schema refused, or one past `max_edit_rounds`, ended the call unchecked (`refused_edit`)."""
    return [e.data["args"] for i, e in enumerate(history)
            if e.kind == "edited" and isinstance(e.data.get("args"), dict) and not refused_edit(history, i)]


def _fits(value: Any, limit: int) -> bool:
    """Whether a value is JSON of at most `limit` bytes (as a call's arguments must be)."""
    try:
        return len(json.dumps(value)) <= limit
    except (TypeError, ValueError, RecursionError):
        return False


def refused_edit(history: Sequence[JournalEntry], i: int) -> bool:
    """Whether the edit at `history[i]` ended its call unchecked: refused by its tool's schema (the call's
    next entry ends it rejected with the schema's error, `GuardNode._invalid_edit`) or given past
    `max_edit_rounds` (the next entry ends it rejected for too many edits, `GuardNode._rounds`)."""
    e = history[i]
    later = next((x for x in history[i + 1:] if x.call_id == e.call_id and x.thread_id == e.thread_id), None)
    if later is None or later.kind != "rejected":
        return False
    return (later.data.get("type") == "edit" and "error" in later.data) or later.data.get("reason") == _TOO_MANY_EDITS


def _turn_of(state: Any, key: str) -> str | None:
    """The id of the last user (human) message in a state's messages: the turn a call is made in, which
    stays known when the model's turns are later cleared from the state (`trace_from_journal`)."""
    messages = state.get(key) if isinstance(state, Mapping) else getattr(state, key, None)
    if not isinstance(messages, list):
        return None
    for m in reversed(messages):
        if getattr(m, "type", None) == "human":
            turn = getattr(m, "id", None)
            return turn if isinstance(turn, str) else None
    return None


def _model_call(history: Sequence[JournalEntry]) -> Any:
    """The model's call as written (its proposal's arguments) when a person edited it, else None: what a
    flow tells the person's own words in the edit apart from (`Flow.label`)."""
    if not any(e.kind == "edited" for e in history):
        return None
    return next((e.data.get("args") for e in history if e.kind == "proposed"), None)


def _answered_from_journal() -> None:
    """Mark the current call answered from the journal's record (its span's `vfa.replayed`): the run that decided
    it (this node's earlier run, or another replica) traced its outcome."""
    frame = _WITHIN.get()
    if frame is not None:
        frame.replayed = True


def _call_attributes(tool: str, call_id: str) -> dict[str, Any]:
    """The attributes of a call's `execute_tool` span; an id `_handle` refuses (megabytes of it, a lone surrogate)
    is traced as the name is, by its repr, cut."""
    traced_id = call_id if _sound_id(call_id) else repr(call_id)[:64]
    return {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": tool, "gen_ai.tool.call.id": traced_id}


def _in_conversation(span: Any) -> None:
    """Mark a call's span with its run's thread (`gen_ai.conversation.id`), where it runs in a graph with one: what
    groups a conversation's calls where no `invoke_agent` span holds them (an app built by `create_agent`)."""
    try:
        thread = (get_config().get("configurable") or {}).get("thread_id")
    except RuntimeError:  # outside a run
        return
    if thread is not None:
        span.set_attribute("gen_ai.conversation.id", conversation_id(thread))


def conversation_id(thread: Any) -> str:
    """A run's thread id as traced (`gen_ai.conversation.id`, on `invoke_agent` and each `execute_tool`, one text for
    both): as given, or by its repr, cut, where a call id would be (megabytes of it, a lone surrogate)."""
    thread = str(thread)
    return thread if _sound_id(thread) else repr(thread)[:64]


def _tool_name(raw_name: Any) -> str:
    """A call's tool as traced and journaled: a name the journal cannot store as text (a lone surrogate) is shown
    by its repr, as a non-string is."""
    if isinstance(raw_name, str) and len(raw_name) <= MAX_TOOL_NAME and _storable(raw_name):
        return raw_name
    return repr(raw_name)[:64]


def _minted(prefix: str, digits: int, *call: Any) -> str:
    """The key a guard node files its own refusal of a call under (`prefix` and `digits` hex digits): the same for
    the same call in the same LangGraph task, whose run again (a resume, a replay) answers it from the journal
    instead of refusing it anew; a fresh one outside a graph, where nothing runs a task again. Identical calls
    of one run (a `ToolNode`'s turn, which knows no call's place) are told apart by their count in that run."""
    task = current_task()
    if not task:
        return prefix + uuid.uuid4().hex[:digits]
    key = prefix + hashlib.sha256(unaddressed(json.dumps([task, *call], default=repr)).encode()).hexdigest()[:digits]
    at = _MINTED.count(task, get_config().get("configurable") or {}, key)
    return key if at == 0 else f"{key}-{at}"


_MINTED = RunTally()
"""How many refusals of each key each task's run made (while the run lives)."""


def _fingerprint(tool: str, raw_args: Any, raw_json: str | None) -> str:
    """What identifies a call apart from its id: its tool and its arguments as the model gave them (`raw_json`,
    their JSON, None where they have none: their repr), an object's address taken out of its repr (a plain call
    run again is handed one made anew). Only a repr loses its address: a string the model wrote is the call's
    as written (two recipients "<a at 0x1>" and "<a at 0x2>" are two calls; journals hold its digest)."""
    if raw_json is None:
        text = unaddressed(_repr(raw_args, 4096))
    elif " at 0x" in raw_json:
        try:
            text = _UNADDRESSED(raw_args)
        except Exception:  # noqa: BLE001 - `dumps` wrote it: not expected; as written
            text = raw_json
    else:
        text = raw_json
    return hashlib.sha256(f"{tool}\0{text}".encode()).hexdigest()[:24]


def _repr_unaddressed(value: Any) -> Any:
    """What a fingerprint or a plain call's id (`graphs._gate._plain_id`) writes for a value JSON cannot carry: a set
    as its members in order (its repr's order follows string hashing, salted per process: a task resumed in another
    would be another call), else its repr without memory addresses (an object made anew in each run is one call;
    a string given is the call's as written, "<a at 0x1>" and "<a at 0x2>" two)."""
    shown = _members_or_repr(value)
    return unaddressed(shown) if shown.__class__ is str else shown


_UNADDRESSED = json_text(default=_repr_unaddressed, separators=(",", ":"))
"""`dumps`, each repr it writes for a value JSON cannot carry without its memory address."""


def _as_ran(message: ToolMessage, history: Sequence[JournalEntry], spec: ToolSpec | None,
            result: Any = None, reprs: Mapping[str, str] | None = None,
            hidden: Mapping[str, Any] | None = None) -> ToolMessage:
    """A result's message recording, for an audit of the messages, how the flow read the result (`shape`:
    a tool's own text is text, even when it reads as JSON; `reprs`: the strings that stood for values JSON
    cannot carry, as the journal records them; `readers` and `trusted`: how the flow labelled a result it
    showed as one handle, `hidden`) and, replayed, the arguments of the person's edit the call ran with
    (`args`, from `history`)."""
    info = message.artifact["vfa"]
    if hidden is not None:
        info.update(hidden)
    reprs = recorded(result)[1] if reprs is None else reprs
    # only the reprs its content shows: one of a value shown as a handle would keep that value in the
    # conversation in clear, and no string of the content is that repr for an audit of the messages to read
    if reprs:
        shown = message.content if isinstance(message.content, str) else json.dumps(message.content, ensure_ascii=False)
        reprs = {k: v for k, v in reprs.items() if _shows(shown, k)}
    if reprs:
        info["reprs"] = reprs
    _with_edits(message, history)
    shape = spec.meta.get(RESULT_SHAPE) if spec is not None else None
    if shape is None and isinstance(result, str):
        shape = "text"
    if shape:
        info["shape"] = shape
    return message


def _shows(text: str, written: str) -> bool:
    """Whether `text` (a message's content, or its blocks as JSON) holds the string `written`, as it is or
    escaped as JSON writes it (once, or twice inside a block's JSON)."""
    once = json.dumps(written)[1:-1]
    return any(f in text for f in (written, once, json.dumps(written, ensure_ascii=False)[1:-1],
                                   json.dumps(once)[1:-1]))


def _questions_of(result: ChainResult) -> list[Escalate]:
    """The escalations of a chain run, in chain order: each is a question of its own."""
    return [d.verdict for d in result.decisions if d.verdict.kind == "escalate"]


def _shown(observe: Callable[[], str], what: str) -> str:
    """What the flow shows the model; what it cannot label is not shown (fail closed; the journal keeps it)."""
    try:
        return observe()
    except Exception as exc:
        if _is_bubble_up(exc):
            raise
        return f"{what} could not be labelled ({type(exc).__name__}); it is not shown"


def _storable(text: str) -> bool:
    """Whether a string encodes as UTF-8 (holds no lone surrogate), as the journal stores its text."""
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _repr(value: Any, limit: int) -> str:
    """`repr(value)` cut to `limit` characters; a value nested too deep for it, or whose `__repr__`
    raises, gets a placeholder instead of crashing the node."""
    try:
        return repr(value)[:limit]
    except Exception:  # noqa: BLE001 - RecursionError, or anything a hostile __repr__ raises
        return f"<a {type(value).__name__} that cannot be shown>"


def _journaled_args(raw: Any, raw_json: str | None, limit: int) -> dict[str, Any]:
    """A refused call's arguments as its journal entry keeps them: as written, or by their repr cut short
    when JSON cannot hold them, or by their size alone past `limit` (a call refused before the size check,
    an unknown tool's, must not put megabytes into the journal either)."""
    if raw_json is not None and len(raw_json) > limit:
        return {"raw": _repr(f"<{len(raw_json)} bytes>", 200)}  # as the size check journals one
    return raw if isinstance(raw, dict) and raw_json is not None else {"raw": _repr(raw, 200)}


def _sound_id(call_id: str) -> bool:
    """Whether a call's id can key its journal entries: non-empty text of at most 256 characters UTF-8 can write."""
    return bool(call_id) and len(call_id) <= 256 and _storable(call_id)


def _json_or_none(value: Any) -> str | None:
    try:
        return dumps(value)
    except Exception:  # noqa: BLE001 - circular, too deep, or a repr that raises: refused, never crashed on
        return None


_SHOWN = json_text(default=repr)
"""What `json.dumps(value, default=repr)` uses, built once: a tool result as the model reads it."""


def _content(result: Any) -> str:
    return result if isinstance(result, str) else _SHOWN(result)


def _failed(proposal: Proposal, error: str) -> ToolMessage:
    """The message of a call the node ended `failed` with `error`, as a replay of that record writes it
    (a flow reads the message as that record's only when it is)."""
    return _message(proposal, "failed", f"{proposal.tool} failed: {error}", status="error")


def _message(proposal: Proposal, outcome: str, content: str, *, status: str = "success",
             verdict: Any = None) -> ToolMessage:
    info: dict[str, Any] = {"outcome": outcome}
    task = current_task()
    if task:  # the run that wrote it: a question's answer counts for later calls of the same conversation only
        info["task"] = task
    if verdict is not None:  # as the model reads it: evidence kept for the journal alone ("_" keys) left out
        info["verdict"] = verdict.model_dump(mode="json")
        evidence = info["verdict"].get("evidence")
        if isinstance(evidence, dict):
            info["verdict"]["evidence"] = _shown_evidence(evidence)
    return ToolMessage(content=content, tool_call_id=proposal.call_id, name=proposal.tool, status=status,
                       artifact={"vfa": info})


def _rejected(proposal: Proposal, decision: Mapping[str, Any]) -> ToolMessage:
    return _message(proposal, "rejected", f"{proposal.tool} was rejected by a person"
                    + (f": {decision['message']}" if decision.get("message") else ""), status="error")


def content_digest(content: Any) -> str:
    """A short digest of a tool message's content (text, or blocks as JSON): what a gate message's
    artifact records of the content the gate wrote, for an audit to find it again (`GuardMiddleware`)."""
    text = content if isinstance(content, str) else _SHOWN(content)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def denial_text(tool: str, verdict: Any) -> str:
    """What the model reads of a denial (or a repair): the guard, its reason, its hint and its evidence
    (but for the keys beginning with "_": kept in the journal, for a person and an audit)."""
    text = f"{tool} denied by guard {verdict.guard!r}: {verdict.reason}"
    if verdict.kind == "repair":
        text += f". To repair: {verdict.hint}"
    shown = _shown_evidence(verdict.evidence)
    if shown:
        text += f". Evidence: {json.dumps(shown, default=repr)}"
    return text


def _shown_evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """A verdict's evidence as the model reads it: keys beginning with "_" are for the journal alone."""
    return {k: v for k, v in evidence.items() if not (isinstance(k, str) and k.startswith("_"))}


def denied_verdict(data: Mapping[str, Any]) -> Deny | Repair:
    """The denial (or repair) a journal entry's data holds."""
    return (Repair if data.get("kind") == "repair" else Deny).model_validate(data)


def _denial(proposal: Proposal, verdict: Any) -> ToolMessage:
    return _message(proposal, "denied", denial_text(proposal.tool, verdict), status="error", verdict=verdict)


def _turn_calls(state: Any, key: str) -> list[dict[str, Any]] | None:
    """The tool calls of the turn the state's messages end with (None: it holds no messages): only its
    calls are run again (`_parse`); one of an earlier turn (a client that sent a new message instead of
    resuming) is never replayed."""
    messages = state.get(key) if isinstance(state, Mapping) else getattr(state, key, None)
    if not isinstance(messages, list):
        return None
    last = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
    return list(last.tool_calls) if last is not None else []
