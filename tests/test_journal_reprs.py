"""A value JSON cannot carry is journaled by its repr, and the entry lists that repr, so every reader of
the record (a replayed node, a rebuilt flow, an audit) knows the string stood for an object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from vfa import Agent, EffectJournal
from vfa._journal import Opaque, recorded, recorded_result, result_data
from vfa.testing import ScriptedModel


def test_plain_json_is_recorded_as_it_is() -> None:
    value = {"a": [1, 2.5, "x", None, True]}
    assert recorded(value)[0] == value and recorded(value)[1] == {}
    assert recorded(value)[0] is not value  # a copy: the tool may change its own object after returning it
    assert recorded("text") == ("text", {}) and recorded(None) == (None, {})
    assert result_data({"a": 1}, {}) == {"result": {"a": 1}}


def test_each_value_json_cannot_carry_is_listed_once_with_its_str() -> None:
    value = {"card": Decimal("4111"), "at": [dt.date(2026, 1, 2), Decimal("4111")], "n": 3, "tags": {"b", "a"}}
    journaled, reprs = recorded(value)
    assert reprs == {"Decimal('4111')": "4111", "datetime.date(2026, 1, 2)": "2026-01-02"}
    assert journaled == {"card": "Decimal('4111')", "at": ["datetime.date(2026, 1, 2)", "Decimal('4111')"], "n": 3,
                         "tags": ["a", "b"]}  # a set: a list of its members


def test_recorded_result_makes_the_listed_strings_objects_again() -> None:
    journal = EffectJournal()
    value = {"card": Decimal("4111"), "note": "Decimal('4111')x", "rows": [{"d": dt.date(2026, 1, 2)}]}
    journal.append([("t", "c1", "get", "ran", result_data(*recorded(value)))])
    (entry,) = journal.entries("t")
    back = recorded_result(entry.data)
    assert isinstance(back["card"], Opaque) and repr(back["card"]) == "Decimal('4111')" and str(back["card"]) == "4111"
    assert back["note"] == "Decimal('4111')x"  # a string that only holds a repr stays a string
    assert isinstance(back["rows"][0]["d"], Opaque) and str(back["rows"][0]["d"]) == "2026-01-02"
    # what a reader shows of it is what was shown live: the repr, as JSON writes any object
    assert recorded(back) == recorded(value)


def test_a_replayed_node_and_the_message_carry_the_reprs() -> None:
    def get_account() -> dict:
        """The account."""
        return {"iban": "DE44", "card": Decimal("4111")}

    def rule(messages):
        if not any(isinstance(m, ToolMessage) for m in messages):
            return AIMessage("", tool_calls=[{"name": "get_account", "args": {}, "id": "c1"}])
        return "done"

    journal = EffectJournal()
    app = Agent(ScriptedModel(rule=rule), [get_account], journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": "t"}})
    (msg,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert msg.artifact["vfa"]["reprs"] == {"Decimal('4111')": "4111"}
    (ran,) = [e for e in journal.entries("t") if e.kind == "ran"]
    assert ran.data["reprs"] == {"Decimal('4111')": "4111"}
    assert ran.data["result"]["card"] == "Decimal('4111')"


class _Shifty:
    """A repr that changes once `str` was called (a lazily loaded object)."""

    def __init__(self) -> None:
        self.loaded = False

    def __repr__(self) -> str:
        return "Card(4111111111111111)" if self.loaded else "Card(<not loaded>)"

    def __str__(self) -> str:
        self.loaded = True
        return "4111111111111111"


class _Broken:
    def __repr__(self) -> str:
        raise RuntimeError("detached")

    def __str__(self) -> str:
        raise RuntimeError("detached")


def test_each_repr_is_taken_once_and_is_the_one_recorded() -> None:
    journaled, reprs = recorded({"card": _Shifty()})
    assert journaled == {"card": "Card(<not loaded>)"} and reprs == {"Card(<not loaded>)": "4111111111111111"}


def test_a_repr_or_str_that_raises_gives_a_placeholder_never_an_error() -> None:
    journaled, reprs = recorded({"row": _Broken()})
    (text,) = reprs
    assert journaled == {"row": text} and "_Broken" in text and "repr failed" in text


def test_keys_json_cannot_carry_are_written_as_their_reprs_and_a_cycle_whole() -> None:
    journaled, reprs = recorded({"iban": "DE44", "balances": {dt.date(2026, 1, 2): Decimal("1.5")}})
    assert journaled == {"iban": "DE44", "balances": {"datetime.date(2026, 1, 2)": "Decimal('1.5')"}}
    assert reprs == {"Decimal('1.5')": "1.5"}
    cycle: list[Any] = [dt.date(2026, 1, 2)]
    cycle.append(cycle)
    assert recorded(cycle) == (repr(cycle), {repr(cycle): repr(cycle)})


def test_a_result_nested_deep_is_read_back_without_recursion() -> None:
    deep: Any = [dt.date(2026, 1, 2)]
    for _ in range(900):
        deep = [deep]
    back = recorded_result(result_data(*recorded(deep)))  # no recursion: read back with a stack
    for _ in range(900):
        back = back[0]
    assert isinstance(back[0], Opaque)
