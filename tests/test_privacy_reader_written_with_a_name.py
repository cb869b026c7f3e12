"""A reader written with a display name is denied what their address may read.

`PrivacyGuard._violations` checks every principal `recipients_of` names against the value's readers and
the user's addresses, and for a recipient written with a name that is the text as written beside the
address in it: `Bob Stone <bob@family.example>` names "bob stone <bob@family.example>" and
bob@family.example. The readers a grant or the user's configured address give hold the address alone, so
the text is "no reader": the user mailing their own home address to themselves as `Emma Stone
<me@home.example>` (the form a contacts tool or a mail client gives), or to the brother the policy
grants it as `Bob Stone <bob@family.example>` or `<bob@family.example>`, is denied (asked, under "ask").

Why it matters: docs/privacy.md says one person written two ways (`bob@x.example` and `Bob <bob@x.example>`)
is one recipient, and the policy's user addresses are those "data may always flow to"; every mail
reaches only the address a mail parser reads in the text (a text whose address cannot be read is denied
apart, `recipients are addresses`). Sending the bare address works (control).

Fixed: a recipient written with a display name, comment or quoted name whose addresses are read is judged
by them (`_privacy_decl.reaches_only`) in the `recipients must be readers` check, alone and joined with
the other arguments one recipient receives; its text is kept for approvals, and one whose address cannot
be read is still denied (`recipients are addresses`).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow
from vfa import Agent
from vfa.testing import ScriptedModel


def _mail_address(to: str) -> tuple[str, list[Any]]:
    """Mail the user's home address (a handle from the profile) to `to`: the outcome and what was sent."""
    w = World()
    flow = PrivacyFlow(POLICY, secret=b"rt155-display")

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_profile", {})
        if turn == 1:
            shown = json.loads(next(m.content for m in messages if isinstance(m, ToolMessage)))
            return ("send_email", {"to": [to], "subject": "address", "body": "address: " + shown["address"]})
        return "done"

    app = Agent(ScriptedModel(rule=rule), w.tools(), guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Mail my home address to {to}")]}, {"configurable": {"thread_id": "t"}})
    tm = [m for m in out["messages"] if isinstance(m, ToolMessage)][-1]
    return tm.artifact["vfa"]["outcome"], w.sent


@pytest.mark.parametrize("to", ["me@home.example", "bob@family.example"])
def test_control_the_bare_address_goes_through(to: str) -> None:
    assert _mail_address(to)[0] == "committed"


@pytest.mark.parametrize("to", ["Emma Stone <me@home.example>", "Bob Stone <bob@family.example>",
                                "<bob@family.example>"])
def test_a_reader_written_with_a_name_goes_through(to: str) -> None:
    outcome, sent = _mail_address(to)
    assert outcome == "committed" and sent, f"{to!r} denied what its address may read"
