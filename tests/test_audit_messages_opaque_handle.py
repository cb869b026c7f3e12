"""The audit of the messages clears a call the live guard denied, when the call sends the
handle of a result field that holds no JSON value (a date, a `Decimal`, a UUID).

docs/privacy.md ("a value that is no JSON value (an object, shown by its repr) ... is labelled as its whole
text: private to the user if any field is declared private") — so live, `get_profile`'s `dob` held as a
`datetime.date` is the user's alone, even though the policy grants Carol `profile.dob`: mailing its handle
to Carol is denied. The journal's audit agrees (the entry lists the date's repr under "reprs"). The
result's message shows the model a handle there and, rightly, lists no repr of the hidden value; so
`trace_from_messages` reads the field as a plain private text, labels its handle `profile.dob` (Carol may
read it) and `audit_trace` reports nothing: docs/privacy.md "Audit" says the audit "runs the same labelling and
rules over a recorded trace". The same profile with the date as text is committed live, and all three agree.

What must hold: for each kind of value, both audits report exactly the calls the live guard denied.

Fixed: not yet: a stated limit (strict xfail); the journal's audit agrees with the live guard.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from _audit_trace import audit_journal, audit_messages, found, journaled_run, live_denials
from _turns import by_step
from langchain_core.messages import ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import effect

USER, CAROL = "me@home.example", "carol@cpa.example"
POLICY = PrivacyPolicy.of(USER, grants={CAROL: ["profile.dob"]})
VALUES = {"date": dt.date(1990, 4, 12), "decimal": Decimal("19900412"), "uuid": uuid.UUID(int=19900412),
          "text": "1990-04-12"}


def _tools(dob: Any, sent: list[Any]) -> list[Any]:
    @privacy_source(private=["dob", "ssn"], kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "dob": dob, "ssn": "078-05-1120"}

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @effect
    def send(to: str, body: str) -> str:
        """Send a note."""
        sent.append((to, body))
        return "sent"

    return [get_profile, send]


def _mail_dob(tms: list[ToolMessage]) -> Any:
    return ("send", {"to": CAROL, "body": f"born {json.loads(tms[0].content)['dob']}"})


_LIMIT = pytest.mark.xfail(strict=True, reason="a stated limit (docs/privacy.md, audit): a message does not say which of its "
                            "handles stands for a value JSON cannot carry, labelled whole live")


@pytest.mark.parametrize("kind", [pytest.param(k, marks=() if k == "text" else _LIMIT) for k in VALUES])
def test_both_audits_report_what_the_live_guard_denied(kind: str) -> None:
    sent: list[Any] = []
    tools = _tools(VALUES[kind], sent)
    messages, journal = journaled_run(by_step([("get_profile", {}), _mail_dob]), tools, POLICY,
                                      f"Tell {CAROL} my date of birth.")
    live = live_denials(journal)
    assert (live == []) == (sent != [])
    by_journal = found(audit_journal(journal, messages, _tools(VALUES[kind], []), PrivacyFlow(POLICY, secret=b"s")))
    by_messages = found(audit_messages(messages, _tools(VALUES[kind], []), PrivacyFlow(POLICY, secret=b"s")))
    assert by_journal == live, "journal audit"
    assert by_messages == live, f"messages audit: {by_messages}, live denied {live}"
