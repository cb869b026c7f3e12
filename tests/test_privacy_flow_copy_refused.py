"""A `PrivacyFlow` is one user's threads, handles and handle secret; copying one must
not make a second flow that shares them.

`copy.copy(flow)` returned a flow sharing every mutable part with the original (the handle store with
the values behind the handles, each thread's observations, disclosures and approvals' caches), under a
policy attribute of its own: a template flow copied per user ("a flow of their own", as docs/privacy.md's
"Many users" asks) would label one user's threads with the other's results. `copy.deepcopy(flow)` and
`pickle.dumps(flow)` failed with "cannot pickle '_thread.lock' object", which names neither the flow nor
what to do. What must hold: copying or pickling a flow (or a guard deep-copied with its flow) is refused
with a `TypeError` that names the `PrivacyFlow` and says to build another, without the secret in it; a
shallow copy of a guard keeps judging by the same flow.

Fixed: `PrivacyFlow.__reduce_ex__` refuses, for `copy`, `deepcopy` and `pickle` alike.
"""

from __future__ import annotations

import copy
import pickle

import pytest

from guards import PrivacyFlow, PrivacyPolicy

SECRET = b"copy-handle-key-0123456789abcdef"


def _flow() -> PrivacyFlow:
    return PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=SECRET)


@pytest.mark.parametrize("how", [copy.copy, copy.deepcopy, pickle.dumps], ids=["copy", "deepcopy", "pickle"])
def test_a_flow_is_not_copied(how):
    flow = _flow()
    with pytest.raises(TypeError, match=r"PrivacyFlow") as err:
        how(flow)
    text = str(err.value)
    assert "PrivacyFlow(" in text and "_thread.lock" not in text
    assert SECRET.decode() not in text and SECRET.hex() not in text


@pytest.mark.parametrize("how", [copy.deepcopy, pickle.dumps], ids=["deepcopy", "pickle"])
def test_a_guard_is_not_copied_with_its_flow(how):
    with pytest.raises(TypeError, match=r"PrivacyFlow"):
        how(_flow().guard())


def test_a_shallow_copy_of_a_guard_judges_by_the_same_flow():
    flow = _flow()
    assert copy.copy(flow.guard()).flow is flow
