"""A mail found by one private value keeps its declared readers for another private value of the same record it quotes.

`PrivacyFlow._echo` narrows a handle minted in the result of a call given private arguments by the values
tracking finds in it whose sources meet those arguments' sources ("an echo is of what the call was given",
`tests/test_privacy_echo_quotes_unrelated.py`). Sources name records and tools, not values: the user's IBAN
and phone, read from one profile, share the profile's sources (`tool:get_profile`). So the bank's mail found
by searching for the IBAN, which quotes the user's phone (never given to the search), has its body's handle
narrowed to the user, and a reply to the bank quoting the bank's own mail is denied (a false denial). Read
from a profile that holds the phone alone, the IBAN from an account record (control), the reply goes.

What must hold: the reply to the bank goes in both cases (the search was never given the phone); the draft
echo (`tests/test_privacy_echo_behind_a_handle.py`) stays denied. A stated limit (docs/privacy.md, the echo rule: values
of one record share its sources) where both came from one record, kept as a strict xfail: matching values, not
sources, needs the call's argument texts carried through the record, the journal's rebuild and both audits.
"""

from __future__ import annotations


import pytest

from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

ME, BANK = "me@home.example", "support@bank.example"
PHONE = "+1 555 0100 7788"
IBAN = "DE44 5001 0517 5407 3249 31"


def _run(one_record: bool) -> list[tuple[str, str]]:
    """Read the phone and the IBAN (private, in clear: from one profile, or the IBAN from an account record),
    search the mail for the IBAN (the bank's mail, its body the bank's and the user's to read, a handle,
    quoting the phone), then reply to the bank with the body's handle."""
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["phone", "iban"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "phone": PHONE, **({"iban": IBAN} if one_record else {})}

    @privacy_sink()
    @privacy_source(private=["iban"], handle=False, kind="account")
    def get_account() -> dict:
        """The user's account."""
        return {"iban": IBAN}

    @privacy_sink(internal=["query"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email", key="id")
    def search_mail(query: str) -> list:
        """Search the mail."""
        return [{"id": "m7", "from": BANK, "body": f"We tried to reach you at {PHONE} about your transfer."}]

    send = send_tool(sent)

    reads = [("get_profile", {}), *([] if one_record else [("get_account", {})]), ("search_mail", {"query": IBAN})]
    reply_quoting([get_profile, get_account, search_mail, send], reads, BANK, "About your mail: {}",
                  r"«body[^»]+»", b"echo-same-record", "Reply to the bank's mail about my transfer.")
    return sent


LIMIT = pytest.mark.xfail(strict=True, reason="stated limit: the echo rule meets sources, and values of one record "
                          "share them")


@pytest.mark.parametrize("one_record", [False, pytest.param(True, marks=LIMIT)],
                         ids=["iban-from-another-record", "iban-beside-the-phone"])
def test_the_banks_mail_found_by_the_iban_is_quoted_back_to_the_bank(one_record: bool) -> None:
    sent = _run(one_record)
    assert [to for to, _ in sent] == [BANK], "the bank's own mail, found by the user's IBAN, could not be quoted back to it"
