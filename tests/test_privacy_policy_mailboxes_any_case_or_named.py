"""A policy names people as users write them: a mailbox in capitals or with a display name means that mailbox.

Setting. The guard reads every mailbox of a record, a recipient or a reader in lower case (docs/privacy.md
"Recipients"), but a `trusted_sources` pattern was matched as written: `email:from:Larry@Rent.example`
vouched for no mail from larry@rent.example, and the rent it asks for was denied. A grant keyed
`"Carol <carol@cpa.example>"` was kept as that text, so a send to carol@cpa.example still had a reader
the value does not name, and was denied; a key naming two people (`"a@x.example, b@y.example"`) granted
neither, silently.

Fixed: `PrivacyPolicy` lower-cases the part of a pattern after its kind and field where it names a
mailbox (`kind:field:...@...`), as the tags it is matched against are; `PrivacyPolicy.of` reads a grant's
key (and the user's addresses) for the mailbox it names, display name and all, and refuses one naming
more than one (`ConfigError`).
"""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from _mail import mail_effect

from benchmarks.privacy.world import CAROL, LARRY, USER
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from tests._trusted_sender import pay_as_mailed
from vfa import Agent, ConfigError
from vfa.testing import ScriptedModel

IBAN, SSN = "DE89370400440532013000", "123-45-6789"


@pytest.mark.parametrize("pattern", ["email:from:Larry@Rent.Example", "email:from:*@RENT.example"])
def test_a_trusted_sender_written_in_capitals_vouches(pattern: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import tests._trusted_sender as ts

    monkeypatch.setattr(ts, "LARRY", pattern.removeprefix("email:from:"))
    outcome, paid = pay_as_mailed(LARRY, IBAN)
    assert outcome == "committed" and paid


def test_control_capitals_vouch_for_no_one_else(monkeypatch: pytest.MonkeyPatch) -> None:
    import tests._trusted_sender as ts

    monkeypatch.setattr(ts, "LARRY", "Larry@Rent.Example")
    outcome, paid = pay_as_mailed("eve@evil.example", IBAN)
    assert outcome == "denied" and not paid


def test_a_file_pattern_keeps_its_case() -> None:
    policy = PrivacyPolicy.of(USER, trusted_sources=["file:Tax/*"], grants={CAROL: ["file:Tax/*"]})
    assert policy.trusts(["file:Tax/2025.pdf"]) and not policy.trusts(["file:tax/2025.pdf"])
    assert policy.granted(["file:Tax/2025.pdf"]) == {CAROL} and not policy.granted(["file:tax/2025.pdf"])


def _send_ssn_to_carol(grant_key: str) -> str:
    @privacy_sink()
    @privacy_source(private=["ssn"], kind="person", handle=False)
    def get_people() -> list:
        """People."""
        return [{"name": "Ann", "ssn": SSN}]

    flow = PrivacyFlow(PrivacyPolicy.of(USER, grants={grant_key: ["person.ssn"]}), secret=b"named-grant")
    steps = [("get_people", {}), ("send_email", {"to": [CAROL], "body": f"ssn {SSN}"})]
    app = Agent(ScriptedModel(steps), [get_people, mail_effect([])], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Send {CAROL} Ann's SSN.")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"]


@pytest.mark.parametrize("key", [CAROL, CAROL.upper(), f"Carol Diaz <{CAROL}>", f'"Diaz, Carol" <{CAROL}>'])
def test_a_grant_keyed_by_a_named_mailbox_lets_that_mailbox_read(key: str) -> None:
    assert _send_ssn_to_carol(key) == "committed"


def test_control_no_grant_denies() -> None:
    assert _send_ssn_to_carol("dana@other.example") == "denied"


@pytest.mark.parametrize("key", ["a@x.example, b@y.example", "a@x.example; b@y.example"])
def test_a_grant_key_naming_two_people_is_refused(key: str) -> None:
    with pytest.raises(ConfigError, match="grants"):
        PrivacyPolicy.of(USER, grants={key: ["person.ssn"]})


def test_the_users_named_address_is_the_user() -> None:
    policy = PrivacyPolicy.of(f"Me <{USER.upper()}>")
    assert USER in policy.addresses
