"""A grant key or user address that reads as no mailbox is kept as a principal no recipient ever is.

docs/privacy.md "A policy names people": the user's address and a grant's key are read for the mailbox they
name, and a key naming no reader is a `ConfigError`. But a text holding an address a parser cannot read
as one mailbox is kept whole: `grants={"Carol carol@cpa.example": [...]}` (a name typed before the
address without brackets) grants the principal "carol carol@cpa.example", which no recipient is, so a
mail to carol@cpa.example is denied and nothing said why; "@cpa.example" and "carol@" likewise. The
user's address is worse: `PrivacyPolicy.of("Carol <carol@cpa.example")` (a bracket left open, or a
group naming no one) silently leaves the user with no address at all, where a grant key so written is
refused. Bad input must get a clear error where it is written, not a policy that grants nobody.

Fixed: a principal with an "@" that is no one mailbox (`_one_mailbox`), or a user text naming no one, is
a `ConfigError` (`_unnamed`).
"""

from __future__ import annotations

import pytest

from benchmarks.privacy.world import CAROL, USER
from guards import PrivacyPolicy
from vfa import ConfigError


@pytest.mark.parametrize("key", [f"Carol {CAROL}", "@cpa.example", "carol@", f"{CAROL}\t(x) carol@cpa"])
def test_a_grant_key_that_is_no_mailbox_is_refused(key: str) -> None:
    with pytest.raises(ConfigError, match="grants"):
        PrivacyPolicy.of(USER, grants={key: ["person.ssn"]})


@pytest.mark.parametrize("user", ["Me <me@home.example", "friends:;", f"Me {USER}", [USER, "Me <me@home.example"]])
def test_a_user_address_that_names_no_mailbox_is_refused(user: object) -> None:
    with pytest.raises(ConfigError, match="user"):
        PrivacyPolicy.of(user)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [CAROL, f"Carol <{CAROL}>", "carol", "user"])
def test_control_a_mailbox_or_a_plain_name_is_a_key(key: str) -> None:
    assert PrivacyPolicy.of(USER, grants={key: ["person.ssn"]}).granted(["person.ssn"])


def test_control_no_user_is_no_error() -> None:
    assert PrivacyPolicy.of().addresses == frozenset() and PrivacyPolicy.of([]).addresses == frozenset()
