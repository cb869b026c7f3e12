"""A mail whose From header has a trusted address as its unquoted display name (`larry@rent.example
<mallory@evil.example>`, the common display-name spoof) counts as a mail from that trusted sender.

`_results._record_label` reads a record's `readers_from` field with `_privacy_decl.readers_in`: the header is
split at the commas outside quotes, comments and brackets, and each item is read with `recipients_of`, which
takes every address `email.utils.getaddresses` reads in it. That parser reads `larry@rent.example
<mallory@evil.example>` as two mailboxes, larry's and mallory's (so does it `larry@rent.example)<mallory@
evil.example>`, CVE-2023-27043's form, and `larry@rent.example (Billing) <mallory@evil.example>`), so the
record is tagged `email:from:larry@rent.example`. Under `trusted_sources=["email:from:larry@rent.example"]`
mallory's mail is trusted: its IBAN grounds `pay`, and the rent goes to the attacker.

Why it matters: docs/privacy.md (Recipients) says a mail from `"larry@rent.example, Billing" <eve@y.example>` "is
no mail from larry@rent.example to `trusted_sources`": an address in a display name is no trusted sender.
The mailbox a header names with an angle address is the one in the brackets (what a reply goes to, what the
mail system authenticates); the text before it is a display name, quoted or not. Authority arguments must
never be driven by untrusted content.

Expected: such a mail is no mail from Larry (the payment is denied); Larry's own mail, written with a name,
a comment or bare, still grounds his IBAN (control).

Fixed: `readers_in` reads each header item for its mailbox (`_mailbox`): the addresses in its angle brackets
alone where it has any (a bracket left open names no one), else the item past a group's name.
"""

from __future__ import annotations


import pytest
from _trusted_sender import pay_as_mailed

from benchmarks.privacy.world import ATTACKER_IBAN, LARRY


@pytest.mark.parametrize("sender", [f"{LARRY} <mallory@evil.example>", f"{LARRY})<mallory@evil.example>",
                                    f"{LARRY} (Billing) <mallory@evil.example>"])
def test_an_unquoted_address_before_the_angle_address_is_no_trusted_sender(sender: str) -> None:
    outcome, paid = pay_as_mailed(sender, ATTACKER_IBAN)
    assert outcome == "denied" and not paid, f"mallory's mail, {sender!r}, was trusted as Larry's: {paid}"


@pytest.mark.parametrize("sender", [LARRY, f"Larry Lane <{LARRY}>", f"{LARRY} (Larry Lane)", f"<{LARRY}>",
                                    f'"Lane, Larry" <{LARRY}>, Larry <{LARRY}>'])
def test_control_larrys_own_mail_is_trusted(sender: str) -> None:
    outcome, paid = pay_as_mailed(sender, "DE89370400440532013000")
    assert outcome == "committed" and paid
