"""`PrivacyPolicy(...)` built directly reads people otherwise than `PrivacyPolicy.of`.

The class documents `user` and `grants` as its own arguments (`grants: principal -> patterns`), and
docs/privacy.md "A policy names people" says a grant's key and the user's address are read for the mailbox they
name. `__post_init__` folds the patterns' mailboxes but leaves the keys and the user as written:
`PrivacyPolicy(grants={"Carol@CPA.example": ["person.ssn"]})` or `{"Carol Diaz <carol@cpa.example>": ...}`
grants no recipient (the guard reads recipients lower-cased), silently; `PrivacyPolicy(user="me@x")`
is accepted and fails inside the guard at every call (`str - set`), a denial naming nothing. The two
constructors must read one policy alike, and bad input must be refused where it is written.

Fixed: `PrivacyPolicy.__post_init__` reads the user and the grant keys (types checked there), so a policy
built directly, by `of` or by `replace` reads people alike; both constructors check the kinds of
the user, grants and patterns in one place (`_people`), so a wrong kind is named alike from either.
"""

from __future__ import annotations

import pytest

from _policy_people import mail_ssn, ssn_run

from benchmarks.privacy.world import CAROL, USER
from guards import PrivacyPolicy


@pytest.mark.parametrize("key", [CAROL.upper(), f"Carol Diaz <{CAROL}>"])
def test_a_directly_built_grant_reads_its_key_as_of_does(key: str) -> None:
    direct = PrivacyPolicy(user=frozenset({USER, "user"}), grants={key: ("person.ssn",)})
    assert direct.grants == PrivacyPolicy.of(USER, grants={key: ["person.ssn"]}).grants
    outcome, sent = ssn_run(direct, mail_ssn(CAROL))
    assert outcome == "committed" and sent


def test_a_directly_built_user_address_is_read_as_of_does() -> None:
    direct = PrivacyPolicy(user=frozenset({f"Me <{USER.upper()}>", "user"}))
    assert direct.addresses == {USER}


def test_a_user_given_as_one_text_is_read_or_refused_where_written() -> None:
    try:
        policy = PrivacyPolicy(user=USER)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return
    assert policy.addresses == {USER}


@pytest.mark.parametrize(("build", "field"), [
    (lambda: PrivacyPolicy(grants=[(CAROL, ("person.ssn",))]), "grants must map"),  # type: ignore[arg-type]
    (lambda: PrivacyPolicy(grants={CAROL: 5}), f"grants['{CAROL}']"),  # type: ignore[dict-item]
    (lambda: PrivacyPolicy.of(USER, grants=[(CAROL, ["person.ssn"])]), "grants must map"),  # type: ignore[arg-type]
    (lambda: PrivacyPolicy.of(USER, grants={CAROL: [5]}), f"grants['{CAROL}']"),  # type: ignore[list-item]
    (lambda: PrivacyPolicy.of(5), "user must be"),  # type: ignore[arg-type]
])
def test_both_constructors_refuse_a_wrong_kind_naming_the_field(build, field: str) -> None:
    with pytest.raises(TypeError, match=field.replace("[", r"\[").replace("]", r"\]")):
        build()
