"""A mail read by a private id keeps its declared readers for what it quotes, also when the id is the mail's own key.

`PrivacyFlow._echo` narrows a handle minted in the result of a call given private arguments only by values
found in it whose sources are among those arguments' sources (`tests/test_privacy_echo_quotes_unrelated.py`).
But it tested the sources of the field's label joined with what tracking found: when the inbox and the mail
share a kind and a private key (`kind="email", key="id"`, the id private in both: each record's sources name
it, by its digest), the field's own sources always meet the id's, so any tracked value the mail quotes (the
user's phone, read earlier) narrowed the body's handle to the user: a reply to Bob quoting his own mail was
denied (a false denial). The id is the mail's key, not a value the mail echoes.

What must hold: the reply to Bob goes, as it does when the inbox is of another kind (control); the draft echo
(`tests/test_privacy_echo_behind_a_handle.py`) stays denied.

Fixed: `PrivacyFlow._echo` meets the arguments' sources with those of what tracking found alone, the field's
own label left out.
"""

from __future__ import annotations


import pytest

from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

ME, BOB = "me@home.example", "bob@friends.example"
PHONE = "+1 555 0100 7788"
MAIL_ID = "msg-20931-7714"


def _run(inbox_kind: str) -> list[tuple[str, str]]:
    """Read the profile (the phone, private, in clear), list the inbox (the id private, in clear, records of
    `inbox_kind` keyed by id), read Bob's mail by its id (its id private too, its body Bob's and the user's to
    read, a handle, quoting the phone), then reply to Bob with the body's handle."""
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["phone"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "phone": PHONE}

    @privacy_sink()
    @privacy_source(private=["id"], handle=False, kind=inbox_kind, key="id")
    def list_mail() -> list:
        """The inbox."""
        return [{"id": MAIL_ID, "subject": "tomorrow"}]

    @privacy_sink(internal=["id"])
    @privacy_source(private=["id", "body"], handle=["body"], readers_from=["from"], kind="email", key="id")
    def read_mail(id: str) -> dict:
        """One mail."""
        return {"id": id, "from": BOB, "body": f"Sure, I will call you at {PHONE} tomorrow around noon."}

    send = send_tool(sent)

    reads = [("get_profile", {}), ("list_mail", {}), ("read_mail", {"id": MAIL_ID})]
    reply_quoting([get_profile, list_mail, read_mail, send], reads, BOB, "You wrote: {}",
                  r"«body[^»]+»", b"echo-own-sources", "Reply to Bob quoting his mail.")
    return sent


@pytest.mark.parametrize("inbox_kind", ["inbox", "email"], ids=["inbox-of-another-kind", "inbox-of-the-mails-kind"])
def test_mail_read_by_its_private_key_is_quoted_back_to_its_sender(inbox_kind: str) -> None:
    sent = _run(inbox_kind)
    assert [to for to, _ in sent] == [BOB], "Bob's own mail, read by its private key, could not be quoted back to him"
