"""A policy's "*" (or "Everyone <*>") as the user's address or a grant's key makes private data public.

`PrivacyPolicy.of` reads the user's address and each grant key for the mailbox it names (docs/privacy.md "A policy
names people"), and a key naming more than one person is a `ConfigError`. But "*" is no mailbox: it is
the guard's own name for the public (`PUBLIC_SINK`, every published argument's one recipient). `_named`
keeps it, so `grants={"*": ["person.ssn"]}` (or `{"Everyone <*>": ...}`, `{"mailto:*": ...}`) lets a
published post carry every SSN, and `PrivacyPolicy.of("*")` (a per-user flow built from an account whose
address field holds "*", or a list holding it beside the real one) makes the public the user: every
private value of every record, also other people's mail, may be published, and "*" grounds authority.
A key naming everyone must be refused like one naming two people, and so must a user address that does.

Fixed: a key or user address naming everyone ("*") is a `ConfigError`.
"""

from __future__ import annotations

import pytest

from _policy_people import PUBLISH_SSN, ssn_run

from benchmarks.privacy.world import USER
from guards import PrivacyPolicy
from vfa import ConfigError


def test_control_publishing_the_ssn_is_denied() -> None:
    assert ssn_run(PrivacyPolicy.of(USER), PUBLISH_SSN) == ("denied", [])


@pytest.mark.parametrize("key", ["*", "Everyone <*>", "mailto:*"])
def test_a_grant_keyed_by_the_public_is_refused(key: str) -> None:
    with pytest.raises(ConfigError, match="grants"):
        PrivacyPolicy.of(USER, grants={key: ["person.ssn"]})


@pytest.mark.parametrize("user", ["*", [USER, "Anyone <*>"]])
def test_a_user_address_naming_the_public_is_refused(user: object) -> None:
    with pytest.raises(ConfigError, match="user"):
        PrivacyPolicy.of(user)  # type: ignore[arg-type]
