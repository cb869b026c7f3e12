"""A mail read by a public id, whose body ends in the user's phone ending in that id, keeps its declared readers.

Today's echo rule (0e11eb4, `PrivacyFlow._echo` / `_ends_in`) takes an argument that ends a text of the result,
where the text holds a private value that the rest of the text does not, for the last piece of that value
appended by the tool ("a draft appended to"), however short the argument is. It does not ask whether the rest
came from the model's earlier arguments: a mail from Bob read by its public id ("88", "7788", a plain number an
inbox gives), whose body quotes the user's phone at its end ("reach me at +1 555 0100 7788"), is narrowed to the
user alone, and replying to Bob quoting his own mail (the body's handle) is denied. The same commit fixed this
false denial for an id sharing three digits anywhere (`tests/test_privacy_echo_public_id_no_false_denial.py`);
an id that happens to be the phone's last digits is the edge it missed. Nothing the model wrote completed the
phone: the body is Bob's, read from the world.

What must hold (docs/privacy.md: a result of a call given nothing private, a mail read by its id, keeps its
declared readers whatever its value quotes): the reply to Bob goes.

Fixed: the echo rule counts an argument that starts or ends a text only where the rest is what a handle of the
thread stood for before (PrivacyFlow._echo, shown_before).
"""

from __future__ import annotations

import pytest

from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

BOB = "bob@friends.example"
PHONE = "+1 555 0100 7788"


def _run(mail_id: str) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["phone"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "phone": PHONE}

    @privacy_sink()
    @privacy_source(kind="inbox")
    def list_mail() -> list:
        """The inbox."""
        return [{"id": mail_id, "subject": "tomorrow"}]

    @privacy_sink(internal=["id"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email", key="id")
    def read_mail(id: str) -> dict:
        """One mail."""
        return {"id": id, "from": BOB, "body": f"Sure. You told me I can reach you at {PHONE}"}

    reads = [("get_profile", {}), ("list_mail", {}), ("read_mail", {"id": mail_id})]
    reply_quoting([get_profile, list_mail, read_mail, send_tool(sent)], reads, BOB, "You wrote: {}",
                  r"«[^»]+»", b"echo-id-ends-quote", "Reply to Bob quoting his mail.")
    return sent


@pytest.mark.parametrize("mail_id", ["m1", "8", "88", "7788"])
def test_bobs_mail_ending_in_the_users_phone_is_quoted_back_to_him(mail_id: str) -> None:
    sent = _run(mail_id)
    assert [to for to, _ in sent] == [BOB], f"Bob's own mail, read by the public id {mail_id!r}, could not be quoted back"
