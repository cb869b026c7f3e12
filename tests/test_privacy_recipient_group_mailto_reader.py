"""A reader written as a mailto: URL, an RFC 5322 group or with blanks around its `@` was
refused what she may read.

docs/privacy.md ("Recipients"): a recipient that is not a bare address names every address a mail parser
reads in it (`mailto:bob@x`, `friends: bob@x;`, `bob @ x`), and a recipient written with a name is judged by
the addresses it reaches. Only forms with a display character (`<`, `(`, a quote) were judged so: Carol,
whom the policy grants the SSN, was denied it when written `mailto:carol@cpa.example`,
`Tax: carol@cpa.example;` or `carol @ cpa.example` (the text itself taken for a principal no grant names),
though `Carol Diaz <carol@cpa.example>` is sent.

What must hold: each form that reaches Carol alone is sent her SSN; one that also reaches Bob is still denied.

Fixed: reaches_only judges a group, a mailto: URL or an address with blanks around its @ by the mailboxes a
parser reads in it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from benchmarks.privacy.world import CAROL, POLICY, World
from guards import PrivacyFlow
from vfa import Agent
from vfa.testing import ScriptedModel


def _send_ssn(to: str) -> tuple[World, list[str]]:
    """Read the profile, mail its SSN to `to`: (the world, the denials the model read)."""
    world = World()

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn == 0:
            return ("get_profile", {})
        if turn == 1:
            shown = json.loads(next(m.content for m in messages if isinstance(m, ToolMessage)))
            return ("send_email", {"to": [to], "subject": "ssn", "body": "SSN: " + shown["ssn"]})
        return "done"

    flow = PrivacyFlow(POLICY, secret=b"group-mailto-reader")
    app = Agent(ScriptedModel(rule=rule), world.tools(), guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Send my SSN to {to}.")]}, {"configurable": {"thread_id": "t"}})
    return world, [str(m.content) for m in out["messages"] if isinstance(m, ToolMessage) and "denied" in str(m.content)]


@pytest.mark.parametrize("to", [f"mailto:{CAROL}", f"Tax: {CAROL};", "carol @ cpa.example", f"MAILTO:{CAROL.upper()}"])
def test_a_reader_written_as_a_url_a_group_or_spaced_is_sent_what_she_may_read(to: str) -> None:
    world, denials = _send_ssn(to)
    assert not denials and len(world.sent) == 1, denials


@pytest.mark.parametrize("to", [f"mailto:{CAROL},bob@family.example", f"Tax: {CAROL}, bob@family.example;",
                                f"mailto:{CAROL}?cc=bob%40family.example"])
def test_a_form_that_also_reaches_a_non_reader_is_denied(to: str) -> None:
    world, denials = _send_ssn(to)
    assert denials and world.sent == []
