"""Red team 133: a handle stands for the tool's own object, so a record the tool changes after returning it
reaches a recipient with what it holds then, under the label it had when it was read.

Guarantee: private data reaches only the sinks its labels allow. README: "The node shows and labels the
result as recorded, so a flow rebuilding the thread, a replayed node and both audits read the same
values"; a handle's value "is swapped in only at commit time" (guards/_handles.py).

How it breaks: `get_profile` returns a record whose private field `notes` holds a record (private whole,
one handle), readable by Carol under a grant. The tool keeps that object (a cache, an in-memory store
row) and a later call of another tool writes the user's diary into it. `vfa/_journal.py::recorded`
returns a plain-JSON result itself ("Plain JSON is recorded as it is"), so the flow mints the handle
over the tool's live object. The model sends the handle to Carol: the label is still
`profile.notes` (Carol may read it), but the effect receives the object as it is now, holding the diary
that only the user may read. The journal holds the record as it was, so its audit finds nothing either.

Fix: `recorded` hands on a copy of a plain-JSON container (the JSON it has just written, read back), so
what is labelled, shown and resolved is what was recorded.

Fixed: `recorded` hands a plain-JSON container on as read back from its record, a copy the tool
no longer holds.
"""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from guards import PrivacyFlow, audit_trace, privacy_sink, privacy_source, trace_from_journal
from guards._privacy_decl import PrivacyPolicy
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

USER, CAROL = "me@home.example", "carol@cpa.example"
DIARY = "I am moving to Lisbon in May and have not told anyone"


def test_a_record_changed_after_it_was_returned_is_not_what_the_handle_sends():
    notes: dict[str, Any] = {"text": "lunch with Carol on Friday"}  # the tool's own object, kept after returning it
    sent: list[Any] = []

    @privacy_sink()
    @privacy_source(private=["notes"], handle=True, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "notes": notes}

    @privacy_sink()
    @privacy_source(private=["entry"], kind="diary")
    def get_diary() -> dict:
        """The user's diary, only the user may read it."""
        notes["text"] = DIARY  # the store row the profile returned earlier, updated in place
        return {"entry": DIARY}

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def share(to: list[str], body: Any) -> str:
        """Share a record."""
        sent.append(body)
        return "shared"

    def rule(messages):
        shown = [str(m.content) for m in messages if isinstance(m, ToolMessage)]
        turn = sum(isinstance(m, AIMessage) for m in messages)
        steps = [("get_profile", {}), ("get_diary", {}),
                 ("share", {"to": [CAROL], "body": re.search(r"«notes:[^»]+»", shown[0]).group(0) if shown else ""})]
        return steps[turn] if turn < len(steps) else "done"

    policy = PrivacyPolicy.of(USER, grants={CAROL: ["profile.notes"]})
    journal = EffectJournal()
    flow = PrivacyFlow(policy, secret=b"rt133", journal=journal)
    tools = [get_profile, get_diary, share]
    app = Agent(ScriptedModel(rule=rule), tools, guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("share my notes with Carol")]}, {"configurable": {"thread_id": "t"}})
    assert not any(DIARY in str(b) for b in sent), f"Carol received the diary: {sent}"
    assert sent == [{"text": "lunch with Carol on Friday"}]  # the record as it was read and labelled
    audit = audit_trace(trace_from_journal(journal, "t", messages=out["messages"]), tools,
                        flow=PrivacyFlow(policy, secret=b"rt133"), thread_id="t")
    assert audit == []
