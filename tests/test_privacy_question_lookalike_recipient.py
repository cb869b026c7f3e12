"""A question to a person names each recipient so it can be told from its look-alikes: a local part written
with a Cyrillic "а" or a zero-width space is shown escaped (`d\\u0430na@club.example`), as the domain is shown
in ASCII, never as text that reads as the person's own contact; a plain address is shown as it is."""

from __future__ import annotations

from langchain_core.messages import HumanMessage

from _approvals import approving_agent, mail_address
from benchmarks.privacy.world import World
from vfa import EffectJournal
from vfa.testing import ScriptedModel


def _question(to: str) -> str:
    w = World()
    app = approving_agent(ScriptedModel(rule=mail_address(to)), w.tools(), EffectJournal())
    out = app.invoke({"messages": [HumanMessage("Mail my address.")]}, {"configurable": {"thread_id": "t"}})
    (asked,) = out["__interrupt__"]
    return asked.value["question"]


def test_lookalike_local_parts_are_shown_escaped():
    cyrillic = _question("d\u0430na@club.example")
    assert "d\\u0430na@club.example" in cyrillic and "d\u0430na" not in cyrillic, cyrillic
    hidden = _question("dana\u200b@club.example")
    assert "dana\\u200b@club.example" in hidden, hidden


def test_plain_addresses_are_shown_as_they_are():
    assert "dana@club.example" in _question("dana@club.example")
