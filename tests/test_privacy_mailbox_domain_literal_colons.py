"""A mailbox on an IPv6 domain literal (joe@[IPv6:2001:db8::1]) is read as a group's name and the
text after its last colon: a record's sender becomes the principals "1" and "1]", and so does the user.

RFC 5321 4.1.3 / RFC 5322 3.4.1: a domain may be an address literal in brackets, an IPv6 one holding colons;
`getaddresses` (and `recipients_of`) read 'joe@[IPv6:2001:db8::1]' as that one mailbox. But
`_privacy_decl._mailbox`, which reads each item of a readers field or a policy's address, takes any colon
outside quotes and angle brackets for the end of a group's name (`friends: bob@x.example;`), so the mailbox
it reads is "1]": `readers_in` gives {"1]", "1"}. So:

- a mail from joe@[IPv6:2001:db8::1] may not go back to its sender (docs/privacy.md "Recipients": a mail from Alice
  may go back to alice@x.example), but its private body may be sent to the recipient "1", a principal no
  text names;
- `PrivacyPolicy.of("joe@[IPv6:2001:db8::1]")` silently makes "1" and "1]" the user (the user's real
  address is not among them), where an address naming no mailbox is a `ConfigError`;
- as a grant key it is refused as "names 2 people", an error naming a mistake the user did not make; and
  'Joe <joe@[IPv6:2001:db8::1]>' as "names no one" (`_named` drops every principal with a colon).

Expected: the colons inside a domain literal's brackets end no group's name; the mailbox is read whole.
Where: `guards/_privacy_decl._mailbox`, `_named`.

Fixed: `_mailbox` takes no colon inside square brackets for a group's end (a bracket left open around one: no
mailbox told, fail closed), and `_named` drops only principals with a display character, not a colon.

Fixed: colons inside a domain literal's brackets end no group's name, and a bracket left open around one
names no one (fail closed); `_named` drops only principals with a display character.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from _mail import message_send

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from guards._privacy_decl import readers_in
from vfa import Agent, ConfigError
from vfa.testing import ScriptedModel

JOE = "joe@[IPv6:2001:db8::1]"
BODY = "The gate code is 4417-2093-8861."


def _send_after_reading(sender: str, to: str) -> tuple[str, list[Any]]:
    @privacy_sink()
    @privacy_source(private=["body"], handle=False, readers_from=["from"], kind="email", key="id")
    def read_mail() -> list:
        """Read the inbox."""
        return [{"id": 1, "from": sender, "body": BODY}]

    sent: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"mailbox-spelling")
    app = Agent(ScriptedModel([("read_mail", {}), ("send", {"to": [to], "body": BODY})]),
                [read_mail, message_send(sent)], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Deal with my mail.")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"], sent


@pytest.mark.parametrize("sender", [JOE, f"Joe <{JOE}>"])
def test_the_senders_mailbox_is_read_whole(sender: str) -> None:
    readers = readers_in(sender)
    assert JOE.lower() in readers and not readers & {"1", "1]"}, readers


@pytest.mark.parametrize("sender", [JOE, f"Joe <{JOE}>"])
def test_the_private_body_goes_to_no_principal_the_sender_field_does_not_name(sender: str) -> None:
    outcome, sent = _send_after_reading(sender, "1")
    assert outcome == "denied" and not sent, f"the body of a mail from {sender!r} was sent to '1'"


def test_the_mail_may_go_back_to_its_sender() -> None:
    outcome, sent = _send_after_reading(JOE, JOE)
    assert outcome == "committed" and sent


def test_control_an_ipv4_literal_is_read_whole() -> None:
    assert "joe@[192.0.2.1]" in readers_in("Joe <joe@[192.0.2.1]>")
    assert _send_after_reading("joe@[192.0.2.1]", "joe@[192.0.2.1]")[0] == "committed"


@pytest.mark.parametrize("user", [JOE, f"Joe <{JOE}>"])
def test_the_users_address_names_the_user_alone(user: str) -> None:
    try:
        people = PrivacyPolicy.of(user).user
    except ConfigError as e:
        pytest.fail(f"{user!r} is one mailbox, refused: {e}")
    assert people == {"user", JOE.lower()}


@pytest.mark.parametrize("key", [JOE, f"Joe <{JOE}>"])
def test_a_grant_keyed_by_the_mailbox_names_it(key: str) -> None:
    try:
        grants = PrivacyPolicy.of("me@home.example", grants={key: ["email.body"]}).grants
    except ConfigError as e:
        pytest.fail(f"{key!r} is one mailbox, refused: {e}")
    assert set(grants) == {JOE.lower()}
