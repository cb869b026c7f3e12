"""A value JSON cannot carry is journaled by its repr, and the entry lists that repr, so every reader of
the record (a replayed node, a rebuilt flow, an audit) knows the string stood for an object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from vfa import Agent, EffectJournal
from vfa._journal import Opaque, recorded_result, reprs_in, result_data
from vfa.testing import ScriptedModel


def test_plain_json_lists_no_reprs() -> None:
    assert reprs_in({"a": [1, 2.5, "x", None, True]}) == {}
    assert reprs_in("text") == {} and reprs_in(None) == {}
    assert result_data({"a": 1}) == {"result": {"a": 1}}


def test_each_value_json_cannot_carry_is_listed_once_with_its_str() -> None:
    value = {"card": Decimal("4111"), "at": [dt.date(2026, 1, 2), Decimal("4111")], "n": 3}
    assert reprs_in(value) == {"Decimal('4111')": "4111", "datetime.date(2026, 1, 2)": "2026-01-02"}


def test_recorded_result_makes_the_listed_strings_objects_again() -> None:
    journal = EffectJournal()
    value = {"card": Decimal("4111"), "note": "Decimal('4111')x", "rows": [{"d": dt.date(2026, 1, 2)}]}
    journal.append([("t", "c1", "get", "ran", result_data(value))])
    (entry,) = journal.entries("t")
    back = recorded_result(entry.data)
    assert isinstance(back["card"], Opaque) and repr(back["card"]) == "Decimal('4111')" and str(back["card"]) == "4111"
    assert back["note"] == "Decimal('4111')x"  # a string that only holds a repr stays a string
    assert isinstance(back["rows"][0]["d"], Opaque) and str(back["rows"][0]["d"]) == "2026-01-02"
    # what a reader shows of it is what was shown live: the repr, as JSON writes any object
    assert reprs_in(back) == reprs_in(value)


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
