"""Red team 62: a result whose `__str__` raises is recorded: an ORM object whose `__str__` reads what its
closed session can no longer load (SQLAlchemy's DetachedInstanceError) keeps its repr for its `str` in
"reprs". Before, the error left the guard node after the effect ran (the journal stuck at "started")."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

POLICY = PrivacyPolicy.of("me@home.example")


class Reservation:
    """An ORM row after its session closed: its repr is the default one; its str loads a lazy column."""

    def __str__(self) -> str:
        raise RuntimeError("Instance <Reservation> is not bound to a Session; attribute refresh operation cannot proceed")


@pytest.mark.parametrize("is_effect", [True, False])
def test_a_result_whose_str_raises_is_recorded(is_effect: bool) -> None:
    booked: list = []

    def book_table(when: str) -> dict:
        """Book a table."""
        booked.append(when)
        return {"reservation": Reservation()}

    fn = privacy_sink()(privacy_source(kind="booking")(effect(book_table) if is_effect else book_table))

    def rule(messages: list[Any]) -> Any:
        if not any(isinstance(m, ToolMessage) for m in messages):
            return AIMessage("", tool_calls=[{"name": "book_table", "args": {"when": "friday 8pm"}, "id": "c1"}])
        return "done"

    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    app = Agent(ScriptedModel(rule=rule), [fn], guards=[flow.guard()], flow=flow,
                journal=journal).compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [HumanMessage("Book us a table on friday.")]}, {"configurable": {"thread_id": "t"}})
    assert booked == ["friday 8pm"]
    kinds = [e.kind for e in journal.entries("t")]
    assert ("committed" if is_effect else "ran") in kinds, kinds
