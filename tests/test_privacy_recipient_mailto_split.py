"""A mailto: URL names the mailboxes a mail tool opening it delivers to.

docs/privacy.md ("Recipients") says a recipient written as `mailto:bob@x` also names bob@x, as a mail tool
delivers it, and ("Split values") that one person written two ways is one recipient of a value cut across
calls. A mailto: URL with header fields (`?subject=Hi`, RFC 6068) or with its address percent-encoded
(`mailto:%62ob@...`, `mailto:bob%40...`), or one whose `cc` field names the person (`?cc=bob%40...`), was
read as a principal of its own (`bob@family.example?subject=hi`, `%62ob@family.example`), never as bob: the
second piece of a locker code cut across two messages reached bob, who then held the code whole.

What must hold: the second piece, sent to bob through any such mailto: URL, is denied.

Fixed: a mailto: URL names the addresses of its to, cc and bcc fields, percent-decoded (_mailto); a URL inside
a URL is unreadable.
"""

from __future__ import annotations

import pytest
from _split_agent import BOB, EVE, build

from guards._privacy_decl import recipients_of

URLS = ["mailto:bob@family.example?subject=Hi", "mailto:%62ob@family.example", "mailto:bob%40family.example",
        f"mailto:{EVE}?cc=bob%40family.example", f"mailto:{EVE}?subject=x&bcc=bob@family.example",
        "MAILTO:Bob@Family.Example?Subject=Hi"]


@pytest.mark.parametrize("url", URLS)
def test_a_mailto_url_names_the_mailboxes_it_delivers_to(url: str) -> None:
    assert BOB in recipients_of([url])


@pytest.mark.parametrize("url", URLS)
def test_a_value_cut_across_a_mail_and_a_mailto_url_to_the_same_person_is_denied(url: str) -> None:
    sent, _posts, denials, _flow = build([("send", {"to": [BOB], "body": "part one 4417-2093"}),
                                          ("send", {"to": [url], "body": "part two -8861"})])
    assert [m["body"] for m in sent] == ["part one 4417-2093"], f"bob received the whole code: {sent}"
    assert len(denials) == 1


def test_a_mailto_url_without_private_data_is_sent() -> None:
    """No false denial: a mail with nothing private to a mailto: URL with a subject goes through."""
    sent, _posts, denials, _flow = build([("send", {"to": ["mailto:bob@family.example?subject=Hi"], "body": "see you at 7"})],
                                         read=False)
    assert len(sent) == 1 and not denials


def test_a_url_in_a_url_is_unreadable_never_read_without_end() -> None:
    """A mailto: URL whose address is a mailto: URL again (3,000 deep) is no mail tool's form: denied as
    unreadable, read in bounded depth (no RecursionError)."""
    from guards._privacy_decl import unreadable_recipients

    assert unreadable_recipients(["mailto:" * 3000 + "bob@family.example"])
    assert unreadable_recipients(["mailto:mailto%3Abob@family.example"])
