"""Red team 76: withholding rewrites the privacy guard's own evidence, so an approval "for this recipient" covers nothing.

`GuardNode._withheld` rewrites every non-allow verdict of a call holding a handle, the privacy guard's
too, although that guard judged the handles (`reads_handles = True`) and its evidence holds no value
of them. `HandleStore.withheld` replaces a short value's text wherever it stands in a string: a
number only "where it stands whole" means only that no digit or "." touches it, so a private count
of 3 is replaced inside the keyed digest `#3fc6cb0894335f9e` that the guard's question records as
the value it asks about (`evidence["values"]`). The person answers "approve for this recipient", but
the journal now holds `#«dependents:…»fc6cb0894335f9e`: `PrivacyGuard._approved` never finds the real
digest among the approved values, and every later identical disclosure to the same recipient is asked
again (it was covered before red team 75).

Breaks the approval promise (docs/privacy.md / `PrivacyGuard._approved`: an approval for a recipient covers a later
disclosure of the same values to them). Cause: `_withheld` is applied to the verdicts of guards that read
handles, and the number pattern matches inside words/hex. Fix: leave the verdicts of `reads_handles`
guards as they are, and replace a number only at word boundaries (`(?<![\\w.])…(?![\\w]|\\.[0-9])`).
"""

from __future__ import annotations

import json
from typing import Any

from _approvals import approving_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.types import Command

from benchmarks.privacy.world import BOB, World
from guards import APPROVE_FOR_RECIPIENT, privacy_source
from vfa import EffectJournal
from vfa.testing import ScriptedModel


def test_an_approval_for_a_recipient_covers_the_same_value_sent_again():
    @privacy_source(private=["dependents"], kind="tax")
    def get_tax_profile() -> dict:
        """The user's tax profile."""
        return {"year": "2025", "dependents": "3"}

    w = World("")
    journal = EffectJournal()
    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_tax_profile", {})
        if turn == 1:
            return ("list_contacts", {})
        if turn in (2, 3):  # the same disclosure to Bob, twice
            shown = next(m for m in messages if isinstance(m, ToolMessage) and m.name == "get_tax_profile")
            return ("send_email", {"to": [BOB], "subject": "tax", "body": f"dependents: {json.loads(shown.content)['dependents']}"})
        return "done"

    app = approving_agent(ScriptedModel(rule=rule), [*w.tools(), get_tax_profile], journal)
    cfg = {"configurable": {"thread_id": "d"}}
    first = app.invoke({"messages": [HumanMessage("Tell Bob how many dependents I declared.")]}, cfg)
    asked = first["__interrupt__"][0].value
    assert asked["guard"] == "privacy"
    out = app.invoke(Command(resume=APPROVE_FOR_RECIPIENT), cfg)  # "approve for this recipient"
    escalated = [e.data["evidence"]["values"] for e in journal.entries("d") if e.kind == "escalated"]
    assert "__interrupt__" not in out and len(w.sent) == 2, (
        f"the person approved for {BOB}, but the same disclosure is asked again; the approved values were "
        f"journaled as {escalated[0]}")
