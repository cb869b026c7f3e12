"""Erasing a thread reaches every flow of this process that reads the journal's file.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases "what the flows reading the journal in this
process hold of it"): an app that builds its agent per request opens the journal file per request (the
README's own pattern), so two flows of one process read one file through two `EffectJournal` objects. Once
the thread is deleted through either, neither flow holds anything of it: no observation, and no handle that
still resolves to a private value of the erased conversation.

Fixed: EffectJournal notes its readers per file in this process (_FILE_READERS), and a deletion through any
journal object reaches them all.
"""

from __future__ import annotations

from pathlib import Path

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel


@privacy_sink()
@privacy_source(private=["ssn"], kind="profile")
def get_profile() -> dict:
    """The user's profile."""
    return {"name": "Ada", "ssn": "078-05-1120"}


def _agent(path: Path) -> tuple[Agent, PrivacyFlow, EffectJournal]:
    journal = EffectJournal(path)
    flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
    agent = Agent(ScriptedModel([("get_profile", {}), "ok"]), [get_profile], guards=[flow.guard()],
                  journal=journal, flow=flow)
    return agent, flow, journal


def test_a_flow_reading_the_file_through_another_journal_object_forgets_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    erasing, _, first = _agent(path)
    serving, flow, second = _agent(path)
    try:
        serving.compile().invoke({"messages": [("user", "who am I?")]}, {"configurable": {"thread_id": "t"}})
        assert flow.store.has_thread("t")

        assert erasing.delete_thread("t") > 0

        assert second.entries("t") == []
        assert not flow.store.has_thread("t"), "a handle of the erased thread still resolves"
        assert "t" not in flow._thread_seen
    finally:
        first.close()
        second.close()
