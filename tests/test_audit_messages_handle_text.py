"""The audit of the messages reports a breach for an argument holding a handle's own text
(its guillemets dropped, or escaped as JSON writes them), which carries nothing of the value behind it.

A conversation holds a private field as its handle, so `trace_from_messages` gives the audit the handle's
text where the live flow read the value. The audit tracked that text as if it were the private value: the
token's hex digest is a letter-digit identifier, so any later argument holding the digest (a model that
drops the "«»" of a handle, or writes it JSON-escaped, as `json.dumps` does) was "carrying data from
email.body" to the public. Found by a property test of audit/live parity on generated runs (a post of a
piece of a handle whose digest held six digits in a row).

What must hold: the live guard lets such a post through (it holds no private value), and both audits
report what the live guard denied: nothing.

Fixed: a private field whose value is exactly the handle the flow would mint at that place is not tracked by
its text; its handle still carries the field's label.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from _audit_trace import audit_journal, audit_messages, found, journaled_run, live_denials
from _turns import by_step

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import effect

ME, CAROL = "me@home.example", "carol@c.example"
POLICY = PrivacyPolicy.of(ME)


def _tools(sent: list[Any]) -> list[Any]:
    @privacy_source(private=["body"], readers_from=["from"], kind="email", key="id")
    def read_mail(id: int) -> dict:
        """Read one mail (its body shown as a handle)."""
        return {"id": id, "from": CAROL, "body": "meet me at the old mill on friday at noon"}

    @privacy_sink(disclose={"content": "*"})
    @privacy_source()
    @effect
    def post(content: str) -> str:
        """Publish a text."""
        sent.append(content)
        return "posted"

    return [read_mail, post]


FORMS = {
    "guillemets dropped": lambda h: h.strip("«»"),
    "digest alone": lambda h: h[1:-1].split(":")[1],
    "json escaped": json.dumps,
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_handles_own_text_is_no_private_value_to_either_audit(form: str) -> None:
    sent: list[Any] = []

    def post_the_handle(tms: list[Any]) -> Any:
        handle = json.loads(tms[0].content)["body"]
        return ("post", {"content": f"ref {FORMS[form](handle)}"})

    messages, journal = journaled_run(by_step([("read_mail", {"id": 1}), post_the_handle]), _tools(sent), POLICY,
                                      "Tidy my mail.")
    assert len(sent) == 1 and "mill" not in sent[0], "live, the post holds the handle's text, not the value"
    assert live_denials(journal) == []
    assert found(audit_journal(journal, messages, _tools([]), PrivacyFlow(POLICY, secret=b"s"))) == []
    assert found(audit_messages(messages, _tools([]), PrivacyFlow(POLICY, secret=b"s"))) == [], \
        "the messages' audit took the handle's text for the value it stands for"


def test_the_value_itself_is_still_reported_by_both_audits() -> None:
    # control: a post of the value (read again in clear by a guess the model makes) is a breach live and audited
    sent: list[Any] = []
    messages, journal = journaled_run(by_step([("read_mail", {"id": 1}),
                                               ("post", {"content": "meet me at the old mill on friday at noon"})]),
                                      _tools(sent), POLICY, "Tidy my mail.")
    assert sent == []
    live = live_denials(journal)
    assert live == [("call_1_0", "confidentiality", "content")]
    assert found(audit_journal(journal, messages, _tools([]), PrivacyFlow(POLICY, secret=b"s"))) == live
