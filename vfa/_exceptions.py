"""The one exception tree of vfa.

    VfaError
    ├── ConfigError              a developer's mistake, found when an agent is built or compiled
    │   ├── PolicyError          a policy that cannot hold, checks nothing, or names what does not exist
    │   └── CoverageError        a node that can execute an effect without passing the guards
    ├── UnmediatedEffectError    an effect called outside a guard node's commit
    ├── AnswerError              a person's answer sent to a question answered already
    ├── ThreadBusy               a conversation's lock not free in time (a run waiting for its caller)
    └── JournalError             the effect journal could not record or read (wraps sqlite3.Error)
        └── CallInFlightError    a call whose effect is under way in another run still alive

The layers above add their own under `VfaError`: `guards` a `SceneError` and a `TraceError` (both
ValueErrors too: a recorded run or trace that cannot be read), a `HandleError` (a handle that stands
for no value at commit time), a `SolverError` (Z3 failed on a query) and a `ReadTooLong` (an argument
too long to label); `graphs` an `ArgumentsNotApplied` and an `EffectNodeFailed` (an effect node that cannot run on what was committed, or whose run failed).
A tool's arguments its schema refuses are an `ArgumentError`, a ValueError, as pydantic's are.

A denial is a `Deny` verdict, never an exception: guards return values, and the guard node turns
them into messages for the model.
"""

from __future__ import annotations

__all__ = [
    "AnswerError",
    "CallInFlightError",
    "ConfigError",
    "CoverageError",
    "JournalError",
    "PolicyError",
    "ThreadBusy",
    "UnmediatedEffectError",
    "VfaError",
]


class VfaError(Exception):
    """Base class of every error vfa raises."""


class ConfigError(VfaError):
    """An agent, tool or guard is declared in a way that cannot work; raised before anything runs."""


class PolicyError(ConfigError):
    """A policy is unsatisfiable, vacuous, contradictory, or refers to something that does not exist."""

    def __init__(self, message: str, *, clauses: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.clauses = tuple(clauses)

    def __reduce__(self):  # keep the clauses when pickled across processes
        return (_rebuild_policy_error, (self.args[0], self.clauses))


def _rebuild_policy_error(message: str, clauses: tuple[str, ...]) -> PolicyError:
    return PolicyError(message, clauses=clauses)


class CoverageError(ConfigError):
    """A graph node can execute an effect without mediation by a guard node."""

    def __init__(self, message: str, *, nodes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.nodes = tuple(nodes)

    def __reduce__(self):
        return (_rebuild_coverage_error, (self.args[0], self.nodes))


def _rebuild_coverage_error(message: str, nodes: tuple[str, ...]) -> CoverageError:
    return CoverageError(message, nodes=nodes)


class UnmediatedEffectError(VfaError):
    """An effect was called directly instead of being committed by a guard node."""


class AnswerError(VfaError):
    """An answer was sent to a question that was answered already.

    LangGraph would hand it to the question now pending; nothing is saved, and the pending question
    waits for an answer of its own."""


class JournalError(VfaError):
    """The effect journal failed to record or read; nothing was committed by the failing call."""


class CallInFlightError(JournalError):
    """A call's effect is under way in another run that is still alive.

    Another replica is resuming the same thread; nothing was done: resume the thread once that run has
    finished."""


class ThreadBusy(VfaError):
    """A call waited longer than the guard node's `lock_wait_s` for its conversation's lock.

    The same holds for a model call's read. Another call of the thread held the lock (one whose effect
    runs an agent on a thread that does not carry the context, which then waits for its caller: run it
    in a copy of the context, `contextvars.copy_context().run` or `asyncio.to_thread`)."""

    def __init__(self, thread_id: str, wait_s: float | None) -> None:
        waited = "ever" if wait_s is None else f"{wait_s:g} s"
        super().__init__(f"another call of conversation {thread_id!r} held its lock for over {waited} (an agent "
                         "run from inside a call, on a thread that does not carry its context, waits for its caller: "
                         "run it with the context copied, as asyncio.to_thread does); nothing was run")
        self.thread_id = thread_id
        self.wait_s = wait_s

    def __reduce__(self):  # pickled (and copied) as the error it is: `args` holds the message alone
        return (ThreadBusy, (self.thread_id, self.wait_s))


def message_of(exc: BaseException) -> str:
    """An exception's text; a placeholder naming its type when its `__str__` itself raises (the call
    still fails, or is denied, by what it raised)."""
    try:
        # a plain str: `__str__` may return a subclass, whose own methods (`__format__`) would run where
        # the text is written, past this guard
        return str.__str__(str(exc))
    except Exception:  # noqa: BLE001 - a hostile or broken __str__: never the node's crash
        return f"<a {type(exc).__name__} whose text cannot be read>"


def error_text(exc: BaseException) -> str:
    """`"<type>: <message>"` of an exception a tool or its schema raised (`message_of`)."""
    return f"{type(exc).__name__}: {message_of(exc)}"
