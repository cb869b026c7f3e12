"""Erasing a thread leaves a record's key and its correspondents' addresses in the flow's grants cache.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases "then what the flows reading the journal in
this process hold of it"; `_Threads._scrub`: "a thread erased (`forget`) leaves none of its values in
memory"): once `Agent.delete_thread` returns, no value the deleted thread's tools returned (a record's key,
the address in a field its readers come from) is held by the flow.

Before: `_scrub` emptied `_memo`, `_records` and `_clean`, but not `_grants`, which is keyed by a record's
sources: `"mail:<its key>"` and `"mail:sender:<the sender's address>"`, in clear (its own comment: "keyed by a
record's key too: one entry per record ever read").

Fixed: forgetting a thread empties the grants cache too.
"""

from __future__ import annotations

from pathlib import Path

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

from test_privacy_flow_forgets_shared_caches import _texts

ORDER = "ORD-55813-Quist"
PEER = "grace.hopper@navy.example"


def test_the_flow_keeps_no_record_key_or_reader_of_a_deleted_thread(tmp_path: Path) -> None:
    @privacy_sink()
    @privacy_source(private=["body"], readers_from=["sender"], kind="mail", key="order")
    def read_mail() -> list:
        """The user's mail."""
        return [{"order": ORDER, "sender": PEER, "body": "the parcel is late"}]

    with EffectJournal(tmp_path / "journal.db") as journal:
        flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
        agent = Agent(ScriptedModel([("read_mail", {}), "ok"]), [read_mail], guards=[flow.guard()],
                      journal=journal, flow=flow)
        agent.compile().invoke({"messages": [("user", "any mail?")]}, {"configurable": {"thread_id": "t"}})
        assert any(ORDER in t for t in _texts(flow)) and any(PEER in t for t in _texts(flow))  # control

        agent.delete_thread("t")

        held = [t for t in _texts(flow) if ORDER in t or PEER in t]
        assert held == [], held
