"""Red team 61: a replayed call whose recorded result lists reprs and is nested deep is answered.

A fetch tool returns an attacker's JSON document nested 600 deep beside a value JSON cannot carry (a
`datetime`), so its entry lists "reprs". Reading it back (`_journal.with_reprs`) walks with a stack, not
recursion, so replaying the call answers as the first run did instead of raising RecursionError out of
the graph (the scenario red team 57b closed, which the first version of the reprs reopened)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from _audit_trace import journaled_agent
from _turns import by_turn
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import EffectJournal

USER = "me@home.example"
PAGE = '{"a":' * 600 + '"x"' + "}" * 600  # an attacker's JSON document


def _tools() -> list:
    @privacy_sink()
    def fetch_json(url: str):  # undeclared output: its JSON is read as records
        """Fetch a JSON document, with when it was fetched."""
        return {"fetched_at": dt.datetime(2026, 1, 2, 3, 4, 5), "doc": json.loads(PAGE)}

    @privacy_sink()
    @privacy_source()
    def clock() -> str:
        """The time."""
        return "noon"

    return [fetch_json, clock]


FETCH = ("fetch_json", {"url": "https://evil.example/x.json"}, "c0")
# the fetch again, word for word, last: the node replays it from the journal
_rule = by_turn(FETCH, ("clock", {}, "c1"), FETCH)


def _run() -> tuple[Any, EffectJournal]:
    journal = EffectJournal()
    app = journaled_agent(_rule, _tools(), PrivacyFlow(PrivacyPolicy.of(USER), journal=journal), journal)
    try:
        out = app.invoke({"messages": [HumanMessage("read it")]}, {"configurable": {"thread_id": "t"}})
    except RecursionError:
        raise AssertionError("the graph crashed on a replayed call whose result lists reprs") from None
    return out, journal


def test_a_replayed_deep_result_with_reprs_is_answered_not_crashed() -> None:
    out, _ = _run()
    tools = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert len(tools) == 3 and "could not be labelled" in str(tools[0].content)
