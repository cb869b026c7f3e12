"""A user address that names two people ("Doe, John <john@x.example>") made both the user.

docs/privacy.md ("A policy names people"): "a key naming two people, everyone (`*`, the public) or no mailbox ... is
a `ConfigError`, and so is such an address of the user's". A grant key naming two people was refused; the
user's address was not: `PrivacyPolicy.of("Doe, John <john@x.example>")`, a display name left unquoted (its
comma splits it as a header's), silently made the principal "doe" the user beside john@x.example, so an
argument naming "doe" (a chat handle, an account name) could receive every private value of the user's
and ground authority as the user's own word.

Fixed: the user's addresses and the grants' keys are read by one function (`_one_person`), which refuses
a text naming more than one person for either; several addresses of the user's are given as a list.
"""

from __future__ import annotations

import pytest

from benchmarks.privacy.world import CAROL, USER
from guards import PrivacyPolicy
from vfa import ConfigError


@pytest.mark.parametrize("user", ["Doe, John <john@x.example>", f"{USER}, {CAROL}", [USER, "Doe, John <john@x.example>"]])
def test_a_user_address_naming_two_people_is_refused(user: object) -> None:
    with pytest.raises(ConfigError, match=r"user must be .* \(which names 2 people\)"):
        PrivacyPolicy(user=user)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="names 2 people"):
        PrivacyPolicy.of(user)  # type: ignore[arg-type]


def test_a_grant_key_naming_two_people_is_refused_alike() -> None:
    with pytest.raises(ConfigError, match=r"grants must be keyed .* \(which names 2 people\)"):
        PrivacyPolicy.of(USER, grants={"Doe, John <john@x.example>": ["person.ssn"]})


@pytest.mark.parametrize("user", ['"Doe, John" <john@x.example>', [USER, "John@X.example"], "John <john@x.example>, john@x.example"])
def test_one_person_or_a_list_of_addresses_is_kept(user: object) -> None:
    expected = {"john@x.example"} | ({USER} if isinstance(user, list) else set())
    assert PrivacyPolicy.of(user).addresses == expected  # type: ignore[arg-type]


def test_a_blank_user_address_is_passed_over() -> None:
    assert PrivacyPolicy.of([USER, "  "]).addresses == {USER}
