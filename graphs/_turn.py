"""One model turn in a retrofitted `ToolNode`: its calls run one after another, in the model's order.

A `ToolNode` runs the calls of a turn at once (a thread pool, or `asyncio.gather`), all in one
LangGraph task, and LangGraph hands a resumed task its answers by position: the n-th `interrupt()`
of the task gets the n-th answer. Calls racing to ask (a guard's question, or a tool's own
`interrupt()`) would take each other's answers: a person's approval of one call could let another
call of the turn through. So each call of a turn starts when the call before it has ended, and once
a call ends the node run (an interrupt: the run waits for a person; or an error that fails the node)
the calls after it do not start: as in vfa's own `Agent`, they run on resume, after the answer.
The questions then come in the model's order on every run of the task.

The turn is read where the `ToolNode` reads it (`_parse_input`: the last reading in a node run is the
list it runs, a subclass's `_func` calling `super()._func` on input of its own included), so a `Send`
of one call (`create_agent`) is a turn of one, with nothing to wait for. A call is marked ended
however it ends (a result, a denial, an error, an interrupt, an unknown tool, a user's wrapper
answering without running it), and waits only for calls that have begun: a call the node never
begins (a subclass running some of the calls it read) is passed over once it has not begun within
`_BEGUN_S`, which in a pool taking calls in order only a call that will never run takes. A turn
holding one call object twice is left unordered (the gate refuses both, by their one id).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["in_order"]


_BEGUN_S = 2.0
"""How long a call waits for the call before it to begin before passing it over as never run."""


class _Turn:
    """The calls of one node run, by identity, which of them have begun and ended, and what ended the run."""

    def __init__(self, calls: list[Any]) -> None:
        self.calls = calls  # held so that the ids below stay theirs for the run
        self.place = {id(c): i for i, c in enumerate(calls)}
        self.begun = [threading.Event() for _ in calls]
        self.ended = [threading.Event() for _ in calls]
        self.abegun = [asyncio.Event() for _ in calls]
        self.aended = [asyncio.Event() for _ in calls]
        self.stop: BaseException | None = None
        """What a call raised out of the node run (an interrupt, or an error): the calls after it do not start."""

    def index(self, call: Any) -> int | None:
        i = self.place.get(id(call))
        return i if i is not None and self.calls[i] is call else None

    def wait(self, i: int) -> None:
        """Wait until the nearest call before the `i`th that began has ended."""
        for j in range(i - 1, -1, -1):
            if self.begun[j].wait(_BEGUN_S):
                self.ended[j].wait()
                return

    async def await_(self, i: int) -> None:
        """Async twin of `wait`."""
        for j in range(i - 1, -1, -1):
            try:
                await asyncio.wait_for(self.abegun[j].wait(), _BEGUN_S)
            except TimeoutError:
                continue
            await self.aended[j].wait()
            return


class _Slot:
    """The turn of the node run in progress (the last list of calls the node read)."""

    __slots__ = ("turn",)

    def __init__(self) -> None:
        self.turn: _Turn | None = None


_TURN: contextvars.ContextVar[_Slot | None] = contextvars.ContextVar("vfa_turn", default=None)


@contextmanager
def _node_run() -> Iterator[None]:
    token = _TURN.set(_Slot())
    try:
        yield
    finally:
        _TURN.reset(token)


def in_order(node: Any) -> None:
    """Make a (copied) `ToolNode` run each turn's calls one after another, in the model's order."""
    order = _InOrder(node)
    node.func = order.func
    if node.afunc is not None:
        node.afunc = order.afunc
    node._parse_input = order.parse_input
    node._run_one = order.run_one
    node._arun_one = order.arun_one


class _InOrder:
    """A `ToolNode`'s run methods, each call of a turn waiting for the one before it.

    Bound methods of this object, not closures: LangGraph looks for subgraphs in the values a node's
    function closes over, and a closure over the node itself would have it look for ever."""

    def __init__(self, node: Any) -> None:
        self._func, self._afunc, self._parse = node.func, node.afunc, node._parse_input
        self._run_one, self._arun_one = node._run_one, node._arun_one

    def func(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        with _node_run():
            return self._func(input, *args, **kwargs)

    async def afunc(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        with _node_run():
            return await self._afunc(input, *args, **kwargs)

    def parse_input(self, input: Any) -> Any:
        parsed = self._parse(input)
        slot = _TURN.get()
        if slot is not None:
            calls = list(parsed[0])
            # one object twice has one place: left unordered
            slot.turn = _Turn(calls) if len(calls) > 1 and len({id(c) for c in calls}) == len(calls) else None
        return parsed

    def run_one(self, call: Any, *args: Any) -> Any:
        slot = _TURN.get()
        turn = slot.turn if slot is not None else None
        i = turn.index(call) if turn is not None else None
        if i is None:
            return self._run_one(call, *args)
        turn.begun[i].set()
        try:
            turn.wait(i)
            if turn.stop is not None:
                raise turn.stop
            return self._run_one(call, *args)
        except BaseException as exc:
            turn.stop = turn.stop or exc
            raise
        finally:
            turn.ended[i].set()

    async def arun_one(self, call: Any, *args: Any) -> Any:
        slot = _TURN.get()
        turn = slot.turn if slot is not None else None
        i = turn.index(call) if turn is not None else None
        if i is None:
            return await self._arun_one(call, *args)
        turn.abegun[i].set()
        try:
            await turn.await_(i)
            if turn.stop is not None:
                raise turn.stop
            return await self._arun_one(call, *args)
        except BaseException as exc:
            turn.stop = turn.stop or exc
            raise
        finally:
            turn.aended[i].set()
