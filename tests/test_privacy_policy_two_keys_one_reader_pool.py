"""Two grant keys naming one person: the grants of all but the last are silently dropped.

`PrivacyPolicy.of` reads each key for its mailbox (docs/privacy.md "A policy names people"), so
`{"carol@cpa.example": ["person.ssn"], "Carol Diaz <carol@cpa.example>": ["file:tax/*"]}` (a user's
grants gathered from two places, or written once by address and once as their contacts app shows
it) both name carol@cpa.example; the dict comprehension keeps the last key's patterns only, and Carol
may no longer read the SSN the first key granted, with no error. The same holds for "Carol@CPA.example"
beside "carol@cpa.example". A person's grants are every pattern any key naming them grants.

Fixed: keys naming one reader pool their patterns.
"""

from __future__ import annotations

import pytest

from _policy_people import mail_ssn, ssn_run

from benchmarks.privacy.world import CAROL, USER
from guards import PrivacyPolicy


@pytest.mark.parametrize("other", [f"Carol Diaz <{CAROL}>", CAROL.upper(), f"{CAROL}."])
def test_each_key_naming_one_person_grants_its_patterns(other: str) -> None:
    policy = PrivacyPolicy.of(USER, grants={CAROL: ["person.ssn"], other: ["file:tax/*"]})
    assert CAROL in policy.granted(["person.ssn"]) and CAROL in policy.granted(["file:tax/2025.pdf"])
    outcome, sent = ssn_run(policy, mail_ssn(CAROL))
    assert outcome == "committed" and sent


def test_control_one_key_grants() -> None:
    assert ssn_run(PrivacyPolicy.of(USER, grants={CAROL: ["person.ssn"]}), mail_ssn(CAROL))[0] == "committed"
