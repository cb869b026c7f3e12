"""A plus-tagged address (RFC 5233 subaddress) is delivered to the mailbox it tags.

`bob+notes@family.example` reaches bob's own mailbox at the mail providers most people use (Gmail, Outlook,
Fastmail, iCloud). A value cut across two messages, one piece to bob@family.example and the other to
bob+notes@family.example (or to two tags of his), was judged as if the pieces went to two people, so bob
held the locker code whole. docs/privacy.md ("Split values") promises that one person written two ways is
one recipient of a cut value.

What must hold: the second piece, sent to another tag of the same mailbox, is denied; messages with nothing
private in them to tagged addresses are sent (no false denial).

Fixed: a plus-tagged recipient also names the mailbox it tags (_untagged); grants are not widened.
"""

from __future__ import annotations

import pytest
from _split_agent import BOB, build


@pytest.mark.parametrize("first, second", [(BOB, "bob+notes@family.example"), ("bob+a@family.example", BOB),
                                           ("bob+a@family.example", "Bob+B@family.example")])
def test_a_value_cut_across_tags_of_one_mailbox_is_denied(first: str, second: str) -> None:
    sent, _posts, denials, _flow = build([("send", {"to": [first], "body": "part one 4417-2093"}),
                                          ("send", {"to": [second], "body": "part two -8861"})])
    assert [m["body"] for m in sent] == ["part one 4417-2093"], f"bob received the whole code: {sent}"
    assert len(denials) == 1 and "recipients must be readers" in denials[0]


def test_pieces_to_other_people_sharing_a_domain_are_each_sent() -> None:
    """No false denial: bob+a and eve+a are two people; nobody receives the whole value."""
    sent, _posts, denials, _flow = build([("send", {"to": ["bob+a@family.example"], "body": "part one 4417-2093"}),
                                          ("send", {"to": ["eve+a@family.example"], "body": "part two -8861"})])
    assert len(sent) == 2 and not denials
