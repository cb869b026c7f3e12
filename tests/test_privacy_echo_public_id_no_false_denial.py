"""A mail read by a public id that shares three digits with a private number it quotes keeps its declared readers.

`PrivacyFlow._echo` counts a call as given a private number when its arguments hold a piece of it (three digits or
more, anywhere in the number) that its result holds whole: meant for a draft appended to. A mail from Bob read by
its id (public, shown in clear), whose body quotes the user's phone (read earlier, private to the user), is then
narrowed to the user alone whenever the id happens to share three digits with the phone ("msg-1007", "100", "555"
against +1 555 0100 7788): a reply to Bob quoting his own mail (the body's handle) is denied. Ids, dates and
amounts share three digits with a tracked number often; before the pieces rule the reply went
(`tests/test_privacy_echo_quotes_unrelated.py` holds it for an id sharing none).

What must hold: the reply to Bob goes, whatever digits the id shares with the phone, also when the body ends in the
phone and the id ends it ("8", "88", "7788": the rule that followed a tool joining an argument at a text's end took
that for a join, a false denial a second reading of the change found); the appended-draft attack
(`tests/test_privacy_echo_appended_draft.py`) stays denied.

Fixed: the echo rule reads an argument only where the tool wrote it, starting or ending a text of the result
(_ends_in), the arguments' values, never their names, and only where the rest of the text is what a handle of the
thread stood for before (the draft as it stood: `shown_before`).
"""

from __future__ import annotations

import pytest

from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

ME, BOB = "me@home.example", "bob@friends.example"
PHONE = "+1 555 0100 7788"


QUOTES = f"Sure, I will call you at {PHONE} tomorrow around noon."
ENDS = f"Sure. You told me I can reach you at {PHONE}"


def _run(mail_id: str, body: str = QUOTES) -> list[tuple[str, str]]:
    """Read the profile (phone, private, in clear), list the inbox (ids public), read Bob's mail by its id (its body,
    Bob's and the user's to read, a handle), then reply to Bob with the body's handle."""
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
        return {"id": id, "from": BOB, "body": body}

    reads = [("get_profile", {}), ("list_mail", {}), ("read_mail", {"id": mail_id})]
    reply_quoting([get_profile, list_mail, read_mail, send_tool(sent)], reads, BOB, "You wrote: {}",
                  r"«[^»]+»", b"echo-piece-false-denial", "Reply to Bob quoting his mail.")
    return sent


@pytest.mark.parametrize("mail_id", ["msg-20931-7714", "msg-1007", "100", "555"])
def test_bobs_mail_read_by_a_public_id_is_quoted_back_to_him(mail_id: str) -> None:
    sent = _run(mail_id)
    assert [to for to, _ in sent] == [BOB], f"Bob's own mail, read by the public id {mail_id!r}, could not be quoted back"


def test_bobs_mail_ending_in_the_users_city_is_quoted_back_to_him() -> None:
    """The echo rule reads what the call's arguments hold, not their names: a mail read by its `id` whose body ends
    in a private word ending in "id" (the user's city, Madrid) was taken for an argument completing it."""
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["city"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "city": "Madrid"}

    @privacy_sink(internal=["id"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email", key="id")
    def read_mail(id: str) -> dict:
        """One mail."""
        return {"id": id, "from": BOB, "body": "Sure, see you in Madrid"}

    reply_quoting([get_profile, read_mail, send_tool(sent)], [("get_profile", {}), ("read_mail", {"id": "m1"})], BOB,
                  "You wrote: {}", r"«[^»]+»", b"echo-piece-false-denial", "Reply to Bob quoting his mail.")
    assert [to for to, _ in sent] == [BOB], "Bob's own mail, ending in a word the argument's name ends, was narrowed"


@pytest.mark.parametrize("mail_id", ["m1", "8", "88", "7788"])
def test_bobs_mail_ending_in_the_users_phone_is_quoted_back_to_him(mail_id: str) -> None:
    sent = _run(mail_id, ENDS)
    assert [to for to, _ in sent] == [BOB], f"Bob's own mail, read by the public id {mail_id!r}, could not be quoted back"
