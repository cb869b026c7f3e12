"""Red team 76: a precondition's explanation quotes a value by its repr, which `withheld` does not recognise.

`PreconditionGuard` now judges the values of the call's handles, and its denial explains the clause
with the values it read, each written by `repr` (`guards/_fastpath.py`: `explain`/`_values`,
f"{display(p)}={jsonable(v)!r}"). `HandleStore.withheld` replaces a value where its *own* text
(`_value_text`: `str`) stands in the verdict. For a string whose repr differs from it (a newline in a
postal address, a tab, a backslash in a password, both kinds of quote) the repr holds the value only
escaped (`'Flat 2\\n10 High Street\\nLondon'`): nothing matches, and the private address is written in
clear in the journal's `verdicts`/`denied` entries and in the `run_guardrail` span (the model reads its
words too: `observe_denial` withholds only tokens with a digit or an "@").

Breaks docs/privacy.md "Other guards judge values": what such a guard says "is journaled, traced and shown with
every value of the call's handles written as its handle again". Nothing is computed from the value:
the library's own precondition guard quotes it. Fix: let `withheld` also match the text forms the
library writes (repr / JSON-escaped forms of each string value), or have `explain` name the argument
rather than quote string values.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import BaseModel

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source, requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel, capture_spans

ME = "me@home.example"
ADDRESS = "Flat 2\n10 Downing Street\nLondon SW1A 2AA"  # a contact's postal address, over three lines


class Post(BaseModel):
    blocked: set[str]


def test_a_precondition_quoting_a_multiline_value_does_not_write_it_in_clear():
    sent: list[Any] = []

    @privacy_source(private=["address"], kind="contact")
    def get_contacts() -> list:
        """The user's contacts."""
        return [{"name": "Ann", "address": ADDRESS}]

    @privacy_sink(internal=["address"], authority=["address"])
    @privacy_source()
    @effect
    @requires("not (address in state.blocked)", state=Post)
    def send_parcel(address: str) -> str:
        """Send a parcel to a postal address."""
        sent.append(address)
        return "sent"

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_contacts", {})
        if turn == 1:
            return ("send_parcel", {"address": json.loads(messages[-1].content)[0]["address"]})
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt76")
    journal = EffectJournal()
    app = Agent(ScriptedModel(rule=rule), [get_contacts, send_parcel], guards=[flow.guard()], flow=flow,
                journal=journal, world=lambda: Post(blocked={ADDRESS})).compile()
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("send Ann a parcel")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«address:" in tms["get_contacts"].content and "Downing" not in tms["get_contacts"].content
    assert sent == [] and tms["send_parcel"].artifact["vfa"]["outcome"] == "denied"  # the precondition held

    call = tms["send_parcel"].tool_call_id
    journaled = json.dumps([e.data for e in journal.entries("t") if e.call_id == call], ensure_ascii=False)
    traced = json.dumps([dict(s.attributes or {}) for s in spans.get_finished_spans()], default=str, ensure_ascii=False)
    shown = tms["send_parcel"].content + json.dumps(tms["send_parcel"].artifact, ensure_ascii=False)
    where = [name for name, text in (("journal", journaled), ("spans", traced), ("model", shown)) if "Downing Street" in text]
    denied = next(e.data for e in journal.entries("t") if e.call_id == call and e.kind == "denied")
    assert not where, f"the private address is written in clear in: {where}\ndenied: {denied['reason']}"
