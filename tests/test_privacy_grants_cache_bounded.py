"""A long-running flow's memory does not grow with the records its threads read.

Red team 127: one `PrivacyFlow` serving many short conversations, each reading a record of its own (a
client, a mail, a file: a private field under a record key), kept one entry per record ever read in
`PrivacyFlow._grants` (the policy's grants by a field's sources, which name the record's key), never
dropped: not past `max_threads`, not when the thread is forgotten. Driving 3,000 such threads through
one agent (`max_threads=50`, no checkpointer) left about 1 KB a thread of state; with that cache cleared
it was under 0.1 KB (the journal's thread ids, which it bounds). A service reading a million distinct
records would hold close to a gigabyte. Every other cache of the flow is bounded, like this one now.

Where: `guards/_results.py` (`_Results._granted`)."""

from __future__ import annotations

from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from guards._privacy_decl import source_of
from vfa import ToolSpec

ME = "me@home.example"


@privacy_source(private=["ssn"], kind="client", key="id")
def read_client(client_id: str) -> dict:
    """A client's record."""
    return {}


def test_grants_kept_for_records_read_are_bounded() -> None:
    flow = PrivacyFlow(PrivacyPolicy.of(ME, grants={"carol@cpa.example": ["client.ssn"]}), secret=b"k", max_threads=8)
    decl = source_of(ToolSpec.of(read_client).meta)
    for k in range(6000):  # one short conversation per client, each read once
        thread = f"t{k}"
        flow.record(thread, "r1", "read_client", decl, {"id": f"c{k}", "ssn": f"078-05-{k:04d}"})
        flow.forget(thread)
    assert not flow._thread_calls
    assert len(flow._grants) <= 4096


def test_a_record_read_after_the_grants_were_dropped_keeps_its_readers() -> None:
    policy = PrivacyPolicy.of(ME, grants={"carol@cpa.example": ["client.ssn"]})
    flow = PrivacyFlow(policy, secret=b"k")
    decl = source_of(ToolSpec.of(read_client).meta)
    for k in range(5000):
        flow.record("t", f"r{k}", "read_client", decl, {"id": f"c{k}", "ssn": f"078-05-{k:04d}"})
    readers = [h.label.readers for h in flow.store.of_thread("t")]
    assert all(r == readers[0] for r in readers) and "carol@cpa.example" in readers[0]


def test_a_record_label_cached_for_a_declaration_is_not_given_another_with_its_id() -> None:
    # the record cache is keyed by the declaration's id: one collected may leave its id to a new one
    from guards._privacy_decl import Source

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"k")
    shared = Source(private=frozenset({"note"}), kind="client", key="id", readers_from=("to",))
    private = Source(private=frozenset({"note"}), kind="client", key="id")
    record = {"id": "c1", "note": "ring the bell", "to": "carol@cpa.example"}
    flow.record("t1", "r1", "read_client", shared, record)
    stale = next(k for k in flow._records if k[0] == id(shared))
    flow._records[(id(private), *stale[1:4], ())] = flow._records[stale]  # as if `private` had reused the id
    obs = flow.record("t2", "r1", "read_client", private, record)
    assert "carol@cpa.example" not in obs.keys[("client", "c1")].readers
