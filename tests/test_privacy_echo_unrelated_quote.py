"""A mail found by a private reference its sender may read keeps its readers for an unrelated value it quotes.

The docs/privacy.md (the echo rule) says a private field's handle in the result of a call given private arguments is
labelled "with what value tracking finds in its value of those arguments' sources", and "a mail read by a
private id keeps its readers, whatever else it quotes, unless a value it quotes came from the same record as the
id". `PrivacyFlow._echo` instead joins *everything* tracking finds once any of it meets the arguments' sources:
the bank's mail, found by searching for a reference the bank may read (private to the user and the bank, from
the bank's contact record), which quotes that reference and the user's phone (read from the profile, another
record, never given to the search), has its body's handle narrowed to the user by the phone, and the reply to
the bank quoting its own mail is denied (a false denial). Quoting the reference alone (control), it goes.

What must hold: the reply to the bank goes in both cases: the phone came from no argument of the search, and
from no record the reference came from.

Fixed: once a found value meets the arguments' sources, _echo reads the text again against the thread's index
cut to values of those sources alone, and narrows by that.
"""

from __future__ import annotations


import pytest

from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

ME, BANK = "me@home.example", "support@bank.example"
PHONE = "+1 555 0100 7788"
REF = "CASE-88213-4471"


def _run(quotes_phone: bool) -> list[tuple[str, str]]:
    """Read the phone (private to the user, in clear), the bank's contact (its case reference private to the user
    and the bank, in clear), search the mail for the reference (the bank's mail, its body the bank's and the
    user's, a handle, quoting the reference and maybe the phone), then reply to the bank with the body's handle."""
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["phone"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "phone": PHONE}

    @privacy_sink()
    @privacy_source(private=["ref"], readers_from=["email"], handle=False, kind="contact")
    def get_bank_contact() -> dict:
        """The bank's contact and the user's open case with it."""
        return {"email": BANK, "ref": REF}

    @privacy_sink(internal=["query"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email", key="id")
    def search_mail(query: str) -> list:
        """Search the mail."""
        tail = f" or call you at {PHONE}" if quotes_phone else ""
        return [{"id": "m7", "from": BANK, "body": f"About case {REF}: we will write again{tail}."}]

    send = send_tool(sent)

    reads = [("get_profile", {}), ("get_bank_contact", {}), ("search_mail", {"query": REF})]
    reply_quoting([get_profile, get_bank_contact, search_mail, send], reads, BANK, "About your mail: {}",
                  r"«body[^»]+»", b"echo-unrelated", "Reply to the bank's mail about my case.")
    return sent


@pytest.mark.parametrize("quotes_phone", [False, True], ids=["quotes-the-reference", "quotes-the-reference-and-the-phone"])
def test_the_banks_mail_is_quoted_back_to_the_bank(quotes_phone: bool) -> None:
    sent = _run(quotes_phone)
    assert [to for to, _ in sent] == [BANK], "the bank's own mail could not be quoted back to it"
