"""Red team 118: a tool result that raises when it is iterated crashes the graph run.

Input: a tool returns a lazily fetched list (a `list` subclass whose `__iter__` fetches the next page, and
the fetch fails: ConnectionError), as paginating API clients do. The guard node records every result
before it shows it (`vfa._journal.recorded`, called from `GuardNode._commit` for a read-only tool and from
`EffectJournal._record_result` for an effect). `recorded` first encodes the value with the C JSON encoder,
which iterates a list subclass (and calls a dict subclass's `items()`), and catches only TypeError,
ValueError and RecursionError: the ConnectionError leaves the node and the graph run.

For a read-only tool nothing is journaled at all (the proposal and verdict entries are written together
with the result, which never comes), and every later invoke runs the tool again and crashes again. For
an effect, the effect has run, the journal is left at `started`/`abandoned`, and the run crashes: the
person is later asked whether an effect that did run may have happened. With or without a privacy flow:
the error is the kernel's, in the path result -> journal -> flow.observe. The house rule wants a clear
error or a recorded placeholder, not a crash.

Fixed: `recorded` takes any exception from writing a value for "cannot be written" and records it whole
by its repr, as a cycle.

Where (suggested): in `vfa/_journal.py::recorded`, treat any Exception from encoding the value (and from `_keyed`) as
"cannot be written": record the whole value by `_repr_of` (or as a failure naming the exception type), as
a cycle is; the node then answers the call as ran/committed (or failed) and the thread goes on.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"


class Pages(list):
    """A lazily fetched list of results: iterating it fetches the next page, which fails."""

    def __iter__(self):
        raise ConnectionError("page 2 could not be fetched")


@pytest.mark.parametrize("is_effect", [False, True], ids=["read-only", "effect"])
@pytest.mark.parametrize("with_flow", [False, True], ids=["no-flow", "privacy-flow"])
def test_a_result_that_raises_when_iterated_is_answered_not_crashed(is_effect: bool, with_flow: bool) -> None:
    ran: list[str] = []

    def list_bookings(when: str) -> list:
        """List (or make) bookings."""
        ran.append(when)
        return Pages(["table for two"])

    fn = privacy_source()(effect(list_bookings) if is_effect else list_bookings)

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        return ("list_bookings", {"when": "friday"}) if turn == 0 else "done"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt118", journal=journal) if with_flow else None
    app = Agent(ScriptedModel(rule=rule), [fn], guards=[flow.guard()] if flow else [], flow=flow,
                journal=journal).compile()
    try:
        app.invoke({"messages": [HumanMessage("my bookings on friday")]}, {"configurable": {"thread_id": "t"}})
    except ConnectionError as exc:
        raise AssertionError(f"the graph run crashed on the tool's result: {type(exc).__name__}: {exc}") from None
    kinds = [e.kind for e in journal.entries("t")]
    assert ran == ["friday"]
    assert kinds and kinds[-1] in ("ran", "committed", "failed"), kinds
