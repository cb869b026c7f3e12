"""Red team 60b: hostile input crashes `trace_from_messages` obscurely instead of a clear `TraceError`.

1. A web page whose text is 50,000 opening brackets and as many closing ones (an attacker's page, 100 KB)
   is read live as the text it is (browse returns a string): the live run is fine. Auditing the same
   conversation, `trace_from_messages` parses every tool message's text as JSON (`_parse`), and
   `json.loads` raises `RecursionError` out of the audit: one page an attacker wrote makes the
   conversation's audit crash.
2. A malformed role dict (a tool message without its call id) raises a bare `KeyError` from
   `convert_to_messages`, which `trace_from_messages` does not turn into a `TraceError`."""

from __future__ import annotations

from typing import Any

import pytest
from _audit_trace import audit_journal, journaled_agent
from _turns import by_turn
from langchain_core.messages import AIMessage, HumanMessage

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow, TraceError, audit_trace, trace_from_messages
from vfa import EffectJournal

PAGE = "[" * 50_000 + "]" * 50_000
URL = "https://api.example/data"


def test_an_attackers_page_of_brackets_does_not_crash_the_audit_of_the_messages() -> None:
    world = World("")
    world.web[URL] = PAGE

    journal = EffectJournal()
    flow = PrivacyFlow(POLICY, secret=b"s", journal=journal)
    app = journaled_agent(by_turn(("browse", {"url": URL}, "c1")), world.tools(), flow, journal)
    out = app.invoke({"messages": [HumanMessage("Fetch the data.")]}, {"configurable": {"thread_id": "t"}})
    assert audit_journal(journal, out["messages"], World("").tools(), PrivacyFlow(POLICY, secret=b"s")) == []
    try:
        found = audit_trace(trace_from_messages(out["messages"]), World("").tools(), POLICY)
    except TraceError:
        return  # a clear error naming the event is acceptable
    except RecursionError as exc:  # what it does now
        pytest.fail(f"the audit of the messages crashed: {type(exc).__name__}: {exc}")
    assert found == []


def test_a_malformed_role_dict_is_a_trace_error() -> None:
    with pytest.raises(TraceError):
        trace_from_messages([{"role": "user", "content": "hi"}, {"role": "tool", "content": "x"}])


def test_arguments_nested_past_what_can_be_read_give_a_trace_error() -> None:
    args: dict[str, Any] = {"x": "y"}
    for _ in range(3000):
        args = {"x": args}
    messages = [HumanMessage("hi"), AIMessage("", tool_calls=[{"name": "browse", "args": args, "id": "c1"}])]
    with pytest.raises(TraceError, match="nested too deep"):
        trace_from_messages(messages)
