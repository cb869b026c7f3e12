"""A mail read by a private id keeps its declared readers for what it quotes that its id never held (default mode).

`PrivacyFlow._echo` labels a handle minted in the result of a call given private arguments with everything value
tracking finds in its value, not only with what the call was given. So a mail from Bob read by its id, the id
private to the user (shown in clear), whose body quotes the user's phone number (read earlier, private to the
user), has its body's handle narrowed to the user alone: a reply to Bob that quotes his own mail (the body's
handle) is denied. Read by an id that is not private (control), the same mail keeps its declared readers (the
`_echo` docstring: "a mail read by its id keeps its declared readers, whatever its value quotes"), and the reply
goes. Whether a tool's argument was private decides nothing about what the mail quotes that the argument never
held.

What must hold: the reply to Bob goes in both cases; the echo attack (a draft to Eve echoing the user's note,
`tests/test_privacy_echo_behind_a_handle.py`) stays denied.

Fixed: PrivacyFlow._echo narrows a minted handle only by values found in it whose sources are among the call's
private arguments' sources (an echo is of what the call was given).
"""

from __future__ import annotations



from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

ME, BOB = "me@home.example", "bob@friends.example"
PHONE = "+1 555 0100 7788"
MAIL_ID = "msg-20931-7714"


def _run(private_id: bool) -> list[tuple[str, str]]:
    """Read the profile (phone, private, in clear), list the inbox (the id private or not, in clear), read Bob's
    mail by its id (its body, Bob's and the user's to read, a handle), then reply to Bob with the body's handle."""
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["phone"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "phone": PHONE}

    @privacy_sink()
    @privacy_source(private=["id"] if private_id else [], handle=False, kind="inbox")
    def list_mail() -> list:
        """The inbox."""
        return [{"id": MAIL_ID, "subject": "tomorrow"}]

    @privacy_sink(internal=["id"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email", key="id")
    def read_mail(id: str) -> dict:
        """One mail."""
        return {"id": id, "from": BOB, "body": f"Sure, I will call you at {PHONE} tomorrow around noon."}

    send = send_tool(sent)

    reads = [("get_profile", {}), ("list_mail", {}), ("read_mail", {"id": MAIL_ID})]
    reply_quoting([get_profile, list_mail, read_mail, send], reads, BOB, "You wrote: {}",
                  r"«[^»]+»", b"echo-quotes", "Reply to Bob quoting his mail.")
    return sent


def test_control_mail_read_by_a_public_id_is_quoted_back_to_its_sender() -> None:
    assert [to for to, _ in _run(private_id=False)] == [BOB]


def test_mail_read_by_a_private_id_is_quoted_back_to_its_sender() -> None:
    sent = _run(private_id=True)
    assert [to for to, _ in sent] == [BOB], "Bob's own mail, read by a private id, could not be quoted back to him"

