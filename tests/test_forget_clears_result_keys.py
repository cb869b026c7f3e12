"""Erasing a thread leaves the keys of its tools' results (a map keyed by address, by SSN) in memory.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases "then what the flows reading the journal in this
process hold of it"; `_Threads._scrub`: "a thread erased (`forget`) leaves none of its values in memory"):
once `Agent.delete_thread` returns, no value of the deleted thread is held by the flow or by a cache of a guards
module, including values a result holds as its dict's keys (a contact list keyed by address, ids keyed by SSN).

Before: the scrub emptied the caches keyed by the texts of results and arguments, but not those keyed by the
result walk's steps: `guards._walk._STEPS`, `_FIELD_NAMES` and `_field_name`'s lru cache (each key of every
result walked), and the flow's `_contexts` (each `_WalkContext.plans`, keyed by a result's field names) and
`_leaf_cache` (keyed by a field's name).

Fixed: forgetting a thread empties the result walk's caches of steps and field names and the flow's walk
contexts and leaf labels.
"""

from __future__ import annotations

from pathlib import Path

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal
from vfa.testing import ScriptedModel

from test_forget_clears_process_caches import _cached
from test_privacy_flow_forgets_shared_caches import _texts

PEER = "grace.hopper@navy.example"
SSN = "078-05-1120"


def test_no_key_of_a_deleted_threads_results_is_left(tmp_path: Path) -> None:
    @privacy_sink()
    @privacy_source(private=["phone"], kind="contacts")
    def contacts() -> dict:
        """The user's contacts, by address, and their ids, by SSN."""
        return {PEER: {"phone": "555 0101", "note": "friend"}, "ids": {SSN: "ada"}}

    with EffectJournal(tmp_path / "journal.db") as journal:
        flow = PrivacyFlow(PrivacyPolicy.of("ada@example.com"), journal=journal)
        agent = Agent(ScriptedModel([("contacts", {}), "ok"]), [contacts], guards=[flow.guard()],
                      journal=journal, flow=flow)
        agent.compile().invoke({"messages": [("user", "who do I know")]}, {"configurable": {"thread_id": "t"}})
        assert _cached((PEER, SSN)), "control: the scan reaches the caches the walk filled"

        agent.delete_thread("t")

        assert _cached((PEER, SSN)) == []
        assert [t for t in _texts(flow) if PEER in t or SSN in t] == []
