"""One model turn in a retrofitted `ToolNode`: its calls run one after another, in the model's order.

A `ToolNode` runs the calls of a turn at once (a thread pool, or `asyncio.gather`), all in one
LangGraph task, and LangGraph hands a resumed task its answers by position: the n-th `interrupt()`
of the task gets the n-th answer. Calls racing to ask (a guard's question, or a tool's own
`interrupt()`) would take each other's answers: a person's approval of one call could let another
call of the turn through. So each call of a turn starts when the call before it has ended, and once
a call ends the node run (an interrupt: the run waits for a person; or an error that fails the node)
the calls after it do not start: as in vfa's own `Agent`, they run on resume, after the answer.
The questions then come in the model's order on every run of the task.

The turn is read where the `ToolNode` reads it (`_parse_input`, on the node's own input), so it holds
exactly the calls this node run will make: a `Send` of one call (`create_agent`) is a turn of one,
with nothing to wait for. A call is marked ended however it ends (a result, a denial, an error, an
interrupt, an unknown tool, a user's wrapper answering without running it): none waits for a call
that will never come, and a call waits only for calls handed to the pool before it. A node whose
class runs its calls its own way (a subclass with its own `_func` / `_afunc`, which may run only
some of them), and a turn holding one call object twice, are left as they are: their calls run at
once, as the `ToolNode` runs them.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langgraph.prebuilt import ToolNode

__all__ = ["in_order"]


class _Turn:
    """The calls of one node run, by identity, which of them have ended, and what ended the run."""

    def __init__(self, calls: list[Any]) -> None:
        self.calls = calls  # held so that the ids below stay theirs for the run
        self.place = {id(c): i for i, c in enumerate(calls)}
        self.ended = [threading.Event() for _ in calls]
        self.aended: list[asyncio.Event] | None = None  # made on the node's event loop, when it runs async
        self.stop: BaseException | None = None
        """What a call raised out of the node run (an interrupt, or an error): the calls after it do not start."""

    def index(self, call: Any) -> int | None:
        i = self.place.get(id(call))
        return i if i is not None and self.calls[i] is call else None


_TURN: contextvars.ContextVar[_Turn | None] = contextvars.ContextVar("vfa_turn", default=None)


@contextmanager
def _turn_of(node: Any, input: Any) -> Iterator[_Turn | None]:
    try:
        calls, _kind = node._parse_input(input)
    except Exception:  # noqa: BLE001 - the node itself reports input it cannot read
        calls = []
    calls = list(calls)
    # one object twice has one place: left unordered (the gate refuses both, by their one id)
    turn = _Turn(calls) if len(calls) > 1 and len({id(c) for c in calls}) == len(calls) else None
    token = _TURN.set(turn)
    try:
        yield turn
    finally:
        _TURN.reset(token)


def in_order(node: Any) -> None:
    """Make a (copied) `ToolNode` run each turn's calls one after another, in the model's order."""
    order = _InOrder(node)
    cls = type(node)
    if cls._func is ToolNode._func:
        node.func = order.func
    if node.afunc is not None and cls._afunc is ToolNode._afunc:
        node.afunc = order.afunc
    node._run_one = order.run_one
    node._arun_one = order.arun_one


class _InOrder:
    """A `ToolNode`'s run methods, each call of a turn waiting for the one before it.

    Bound methods of this object, not closures: LangGraph looks for subgraphs in the values a node's
    function closes over, and a closure over the node itself would have it look for ever."""

    def __init__(self, node: Any) -> None:
        self.node = node
        self._func, self._afunc = node.func, node.afunc
        self._run_one, self._arun_one = node._run_one, node._arun_one

    def func(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        with _turn_of(self.node, input):
            return self._func(input, *args, **kwargs)

    async def afunc(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        with _turn_of(self.node, input) as turn:
            if turn is not None:
                turn.aended = [asyncio.Event() for _ in turn.calls]
            return await self._afunc(input, *args, **kwargs)

    def run_one(self, call: Any, *args: Any) -> Any:
        turn = _TURN.get()
        i = turn.index(call) if turn is not None else None
        if i is None:
            return self._run_one(call, *args)
        if i:
            # the pool takes calls in the order handed to it, so the one before is running or done
            turn.ended[i - 1].wait()
        try:
            if turn.stop is not None:
                raise turn.stop
            return self._run_one(call, *args)
        except BaseException as exc:
            turn.stop = turn.stop or exc
            raise
        finally:
            turn.ended[i].set()

    async def arun_one(self, call: Any, *args: Any) -> Any:
        turn = _TURN.get()
        i = turn.index(call) if turn is not None and turn.aended is not None else None
        if i is None:
            return await self._arun_one(call, *args)
        if i:
            await turn.aended[i - 1].wait()  # gather started every call: the one before is under way
        try:
            if turn.stop is not None:
                raise turn.stop
            return await self._arun_one(call, *args)
        except BaseException as exc:
            turn.stop = turn.stop or exc
            raise
        finally:
            turn.aended[i].set()
