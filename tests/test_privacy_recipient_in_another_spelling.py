"""(Minor, fails closed) a granted reader, or the user, written in another spelling of the same
mailbox (the root's dot, a domain in full-width letters or with an ideographic full stop, an IDN domain
decomposed) is denied, though a needless quoted local part ('"carol"@cpa.example') is allowed.

docs/privacy.md "Recipients": "a mailbox is also known by its plain spelling (a quoted local part that needs no quotes
unquoted, the root's dot after its domain dropped, a domain of other scripts in its ASCII form as IDNA 2008
writes it ...), for recipients, readers, the user's addresses and grants alike". `recipients_of` reads
"carol@cpa.example." as {carol@cpa.example., carol@cpa.example}, and `PrivacyGuard` asks each to be a
reader; a grant to carol@cpa.example names only the plain one, so the mail is denied (also written
'Carol <carol@cpa.example.>': the address read from it is no reader). Written '"carol"@cpa.example' it is
allowed: `reaches_only` judges a recipient with a display character by the mailbox it reaches
(`_judged_apart`: its plain spelling), a bare one never. A key
written in NFD grants the NFC recipient (its ASCII form is turned back into its script) but not the other
way round. The user's own note to me@home.example. is denied the same way.

No leak: each denied recipient reaches the granted mailbox. But a grant (or the user's address) does not
match a spelling docs/privacy.md says is that mailbox.
Where: `guards/_privacy_decl.reaches_only` (only recipients with a display character are judged by the
mailbox they reach).

Fixed: `reaches_only` judges a bare mailbox written otherwise by its plain spelling (`_spelling`) where that is
among its recipients (every recipient's plain spelling is: `recipients_of`).

Fixed: `reaches_only` judges a bare recipient by its plain spelling (`_spelling`) where that is among the
recipients, as it judges one written with a display name.
"""

from __future__ import annotations

import pytest
from _policy_people import mail_ssn, ssn_run
from _split_agent import NOTE, USER, build

from benchmarks.privacy.world import CAROL
from guards import PrivacyPolicy

IDN = "carol@b\u00fccher.example"  # NFC
IDN_NFD = "carol@bu\u0308cher.example"


@pytest.mark.parametrize(("key", "to"), [(CAROL, '"carol"@cpa.example'),
                                         (IDN_NFD, IDN), (CAROL, "eve@cpa.example."), (CAROL, "carol@cpa.example.com")])
def test_control(key: str, to: str) -> None:
    outcome, _sent = ssn_run(PrivacyPolicy.of("me@home.example", grants={key: ["person.ssn"]}), mail_ssn(to))
    assert outcome == ("denied" if to.startswith("eve") or to.endswith(".com") else "committed")


@pytest.mark.parametrize(("key", "to"), [(CAROL, "carol@cpa.example."), (CAROL, "Carol <carol@cpa.example.>"),
                                         (CAROL, "carol@ｃｐａ．ｅｘａｍｐｌｅ"),
                                         (CAROL, "carol@cpa\u3002example"), (IDN, IDN_NFD)])
def test_a_grant_lets_its_reader_read_in_another_spelling(key: str, to: str) -> None:
    outcome, sent = ssn_run(PrivacyPolicy.of("me@home.example", grants={key: ["person.ssn"]}), mail_ssn(to))
    assert outcome == "committed" and sent, f"{to!r} is {key!r}'s mailbox, yet denied"


def test_the_users_own_note_to_the_users_address_with_the_roots_dot_is_sent() -> None:
    sent = build([("send", {"to": [f"{USER}."], "body": NOTE})])[0]
    assert sent, f"{USER}. is the user's mailbox, yet the note was denied"
