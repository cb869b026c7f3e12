"""Red team 76: the chain cuts a raising guard's message to 500 characters, so the cut value is written in clear.

A guard that raises is turned into a Deny by the chain (`GuardChain._run_each`): the reason holds the
whole `str(exc)`, and the evidence `{"message": str(exc)[:500]}`. Since red team 75 the guard judges
the values of the call's handles, so the exception may quote one; `PrivacyFlow.withhold` then writes
every *whole* value as its handle again. The reason's copy is replaced, but the evidence's copy ends
cut in the middle of the value: it is the value's text no longer, nothing matches it, and the first
hundreds of characters of the private text stay in clear in the journal's `verdicts`/`denied`
entries, in the `run_guardrail` span's `vfa.evidence`, and in the denial the model reads
(`observe_denial` only withholds tokens holding a digit or an "@": the words are shown).
(`repr(verdict)[:200]` for a guard that returns no verdict cuts alike.)

Breaks docs/privacy.md "Other guards judge values": what such a guard says "is journaled, traced and shown with
every value of the call's handles written as its handle again". Not the documented limit: nothing
here is computed by the guard, the node itself cut the text. Fix: withhold before cutting (cut after
`withheld`), or have `withheld` also replace a value's prefix/suffix at the end of a cut string.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import ALLOW, Agent, EffectJournal, FunctionGuard, effect
from vfa.testing import ScriptedModel, capture_spans

ME = "me@home.example"
# a private letter the model is shown only as a handle
LETTER = ("Dear doctor, following the biopsy last week I want to tell you that the diagnosis came back "
          "as early stage melanoma on my left shoulder and I am frightened about telling my employer, "
          "who already suspects something is wrong because of the many appointments I have missed lately. "
          "Please keep this between us and do not send anything to my work address under any circumstances. "
          "I also wanted to ask whether the treatment will affect my plans to travel abroad this summer.")
SECRET_PHRASE = "early stage melanoma on my left shoulder"


def test_a_guard_error_quoting_a_value_is_not_kept_in_clear_once_cut():
    @privacy_source(private=["text"], kind="note")
    def get_note() -> dict:
        """The user's draft note."""
        return {"title": "draft", "text": LETTER}

    @privacy_sink(internal=["text"])
    @privacy_source()
    @effect
    def archive(text: str) -> str:
        """Archive a text in the user's own store."""
        return "archived"

    def spellcheck(p: Any, c: Any) -> Any:  # a guard that fails on the value, quoting it (as errors do)
        if p.tool == "archive":
            raise ValueError(f"the spelling service rejected the request (HTTP 413, payload too large) for text: {p.args['text']}")
        return ALLOW

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_note", {})
        if turn == 1:
            return ("archive", {"text": json.loads(messages[-1].content)["text"]})
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt76")
    journal = EffectJournal()
    app = Agent(ScriptedModel(rule=rule), [get_note, archive], guards=[flow.guard(), FunctionGuard(spellcheck, name="spell")],
                flow=flow, journal=journal).compile()
    with capture_spans() as spans:
        out = app.invoke({"messages": [HumanMessage("archive my note")]}, {"configurable": {"thread_id": "t"}})
    tms = {m.name: m for m in out["messages"] if isinstance(m, ToolMessage)}
    assert "«text:" in tms["get_note"].content and LETTER not in tms["get_note"].content  # the model holds a handle
    assert tms["archive"].artifact["vfa"]["outcome"] == "denied"

    call = tms["archive"].tool_call_id
    journaled = json.dumps([e.data for e in journal.entries("t") if e.call_id == call], ensure_ascii=False)
    traced = json.dumps([dict(s.attributes or {}) for s in spans.get_finished_spans()], default=str, ensure_ascii=False)
    shown = tms["archive"].content + json.dumps(tms["archive"].artifact, ensure_ascii=False)
    where = [name for name, text in (("journal", journaled), ("spans", traced), ("model", shown)) if SECRET_PHRASE in text]
    assert not where, f"the private letter is written in clear in: {where}\njournal: {journaled[:1500]}"
