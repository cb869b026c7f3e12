"""A mail whose sender field names a trusted sender beside someone the policy does not trust is no mail
from the trusted sender (`PrivacyPolicy.trusts_all`).

A record's `readers_from` field tags it with `email:from:<p>` for every principal it names, and the policy
vouched for the record's content when any tag matched a `trusted_sources` pattern. A From that names two
mailboxes (`eve@y.example, larry@rent.example`: RFC 5322 lets a mail have several authors), or a header a
mail parser reads as two (`<eve@y.example (x>y), larry@rent.example>`: the `>` is inside a comment, so the
brackets hold both), was trusted as Larry's: the IBAN eve wrote in it grounded `pay`.

Why it matters: content one untrusted author may have written is untrusted content, whoever wrote beside
her; authority arguments must never be driven by it. The audit labels with the same flow, so it reports
the payment too.

Fixed: a field's tags vouch for a record only when the policy trusts every principal the field names,
each by every mailbox read from it, in any of its spellings. The header lexer is shared by the split and
the mailbox reading (`_outside_quotes`), so the comment above hides no bracket from either.
"""

from __future__ import annotations


import pytest
from _trusted_sender import audited_payment, pay_as_mailed

from benchmarks.privacy.world import ATTACKER_IBAN, LARRY, USER
from guards._privacy_decl import readers_in

EVE = "eve@y.example"
SHARED = [f"{EVE}, {LARRY}", f"{LARRY}; {EVE}", f"<{EVE} (x>y), {LARRY}>", f"Larry <{LARRY}>, Eve <{EVE}>",
          f"{LARRY}, {USER}", f"friends: {LARRY}, {EVE};"]


@pytest.mark.parametrize("sender", SHARED)
def test_a_mail_from_larry_and_another_is_no_mail_from_larry(sender: str) -> None:
    outcome, paid = pay_as_mailed(sender, ATTACKER_IBAN)
    assert outcome == "denied" and not paid, f"a mail from {sender!r} was trusted as Larry's: {paid}"


@pytest.mark.parametrize("sender", [f"{LARRY}, Larry Lane <{LARRY}>", f'"larry"@rent.example, {LARRY}',
                                    f"{LARRY.upper()}, {LARRY}."])
def test_control_larry_named_twice_is_still_larry(sender: str) -> None:
    outcome, paid = pay_as_mailed(sender, "DE89370400440532013000")
    assert outcome == "committed" and paid


def test_the_comment_hides_no_bracket_from_the_split_or_the_mailbox() -> None:
    # a mail parser reads both addresses in the brackets; so does the record's readers field
    assert {EVE, LARRY} <= readers_in(f"<{EVE} (x>y), {LARRY}>")


@pytest.mark.parametrize("sender,expected", [(f"{EVE}, {LARRY}", ["amount", "iban"]), (LARRY, [])])
def test_the_audit_reports_the_payment_the_guard_denies(sender: str, expected: list[str]) -> None:
    assert audited_payment(sender, ATTACKER_IBAN) == expected
