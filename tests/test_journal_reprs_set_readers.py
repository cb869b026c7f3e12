"""Red team 61: a readers field holding a set is read as its members live and by both audits.

The journal records a set as the list of its members (`_journal.recorded`), and the node shows and
labels the result as recorded, so live, a rebuilt flow and both audits read the record as readable by
each member: mailing its private field to one of them is allowed live and reported by no audit (before,
the audits read the set's repr as one principal and reported a violation live never saw)."""

from __future__ import annotations

from _audit_trace import audit_journal, audit_messages, journaled_run
from _mail import mail_effect
from _turns import by_turn
from langchain_core.messages import ToolMessage

from guards import (
    PrivacyFlow,
    PrivacyPolicy,
    privacy_sink,
    privacy_source,
)

USER = "me@home.example"
BOB = "bob@corp.example"
POLICY = PrivacyPolicy.of(USER)


def _tools(sent: list) -> list:
    @privacy_sink()
    @privacy_source(private=["salary"], readers_from=["shared_with"], kind="doc", handle=False)
    def read_doc() -> dict:
        """A shared document, as the storage client returns it (its readers as a set)."""
        return {"title": "Offer", "salary": "84300 EUR", "shared_with": {BOB}}

    return [read_doc, mail_effect(sent)]


def test_both_audits_agree_with_the_live_guard_on_a_set_of_readers() -> None:
    rule = by_turn(("read_doc", {}, "c1"), ("send_email", {"to": [BOB], "body": "the offer: 84300 EUR"}, "c2"))
    sent: list = []
    messages, journal = journaled_run(rule, _tools(sent), POLICY, "Send Bob the offer.")
    last = [m for m in messages if isinstance(m, ToolMessage)][-1]
    assert last.artifact["vfa"]["outcome"] == "committed" and len(sent) == 1  # live: bob may read it
    by_journal = audit_journal(journal, messages, _tools([]), PrivacyFlow(POLICY, secret=b"s"))
    by_messages = audit_messages(messages, _tools([]), PrivacyFlow(POLICY, secret=b"s"))
    assert [(v.call_id, v.rule, v.arg) for v in by_journal] == [], by_journal
    assert [(v.call_id, v.rule, v.arg) for v in by_messages] == [], by_messages
