"""A flow's handle secret given as a `bytearray` is the flow's own from the moment it is built.

`PrivacyFlow(secret=...)` accepts bytes or a bytearray (guards/_flow.py), and docs/privacy.md ("Restarts,
replicas and threads", "Many users") has every replica and every user's flow built with one fixed `secret`
so that handles minted by one process resolve in another. The store kept the caller's bytearray itself, not
a copy: an app that wipes its buffer once the flow is built (as key material is handled: read from a vault
into a bytearray, zeroed after use) silently changed the flow's HMAC key to all zeros. From then on the
handles it mints are not those a replica or a restart with the real key mints for the same (thread, call,
path), so the checkpointed handles read as forgeries there, and every keyed digest the flow writes (a private
record key's name, a plain call's id: `PrivacyFlow.call_digest`) is one anyone computes under the
all-zero key, the very thing the refusal of an empty secret is there to prevent.

What must hold: changing the buffer after the flow is built changes nothing the flow computes; the flow
mints what a replica given the same key as bytes mints.

Fixed: HandleStore keeps bytes(secret), a copy.
"""

from __future__ import annotations

from guards import PrivacyFlow, PrivacyPolicy

POLICY = PrivacyPolicy.of("me@home.example")
KEY = b"one secret for every replica"


def test_wiping_the_callers_buffer_leaves_the_flows_key_alone():
    buffer = bytearray(KEY)
    flow = PrivacyFlow(POLICY, secret=buffer)
    replica = PrivacyFlow(POLICY, secret=KEY)
    before = flow.store.token("alice:c1", "call_0_0", ".ssn", "ssn")
    buffer[:] = bytes(len(buffer))  # the app zeroes its copy of the key material
    assert flow.store.token("alice:c1", "call_0_0", ".ssn", "ssn") == before
    assert flow.store.token("alice:c1", "call_1_0", ".ssn", "ssn") == replica.store.token("alice:c1", "call_1_0", ".ssn", "ssn")
    assert flow.call_digest("send_email\0{}") == replica.call_digest("send_email\0{}")
    zero = PrivacyFlow(POLICY, secret=bytes(len(buffer)))  # what anyone computes once the key is all zeros
    assert flow.call_digest("send_email\0{}") != zero.call_digest("send_email\0{}")
