"""A grant keyed by a mailbox in another script (or with the root's dot) is refused as "naming 2 readers".

docs/privacy.md "Recipients": a mailbox is known by its plain spelling (a domain of other scripts in its IDNA
ASCII form, the root's dot dropped) "for recipients, readers, the user's addresses and grants alike". But
`_one_reader` counts the principals `_named` returns, and `_named` already holds both spellings of one
mailbox: `PrivacyPolicy.of(USER, grants={"carol@bücher.example": [...]})` raises `ConfigError: ... (which
names 2 people)` for one person, and so does "carol@cpa.example." and "Carol <CAROL@BÜCHER.EXAMPLE>".
The user can grant such a reader nothing, and the error names a mistake they did not make.

Fixed: readers are counted by their plain spelling (`_spelling`), and a grant or user address holds each
spelling of its mailbox, the domain in its own script too (`_spellings`).
"""

from __future__ import annotations

import pytest

from _policy_people import mail_ssn, ssn_run

from benchmarks.privacy.world import USER
from guards import PrivacyPolicy

IDN = "carol@bücher.example"


@pytest.mark.parametrize(("key", "to"), [
    (IDN, IDN),
    (IDN, "carol@xn--bcher-kva.example"),
    ("Carol <CAROL@BÜCHER.EXAMPLE>", IDN),
    ("carol@cpa.example.", "carol@cpa.example"),
])
def test_a_grant_keyed_by_one_mailbox_in_another_spelling_lets_it_read(key: str, to: str) -> None:
    outcome, sent = ssn_run(PrivacyPolicy.of(USER, grants={key: ["person.ssn"]}), mail_ssn(to))
    assert outcome == "committed" and sent


def test_control_the_ascii_key_grants_the_idn_recipient() -> None:
    outcome, _ = ssn_run(PrivacyPolicy.of(USER, grants={"carol@xn--bcher-kva.example": ["person.ssn"]}), mail_ssn(IDN))
    assert outcome == "committed"


def test_control_another_mailbox_is_not_granted() -> None:
    outcome, sent = ssn_run(PrivacyPolicy.of(USER, grants={"carol@xn--bcher-kva.example": ["person.ssn"]}),
                            mail_ssn("carol@bucher.example"))
    assert outcome == "denied" and not sent
